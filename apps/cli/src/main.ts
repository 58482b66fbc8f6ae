import { Command, CommanderError } from 'commander';
import { registerCancelCommand } from './commands/cancel';
import { registerDataCommands } from './commands/data';
import { registerDoctorCommand } from './commands/doctor';
import { registerLineageCommand } from './commands/lineage';
import { registerMetricsCommand } from './commands/metrics';
import { registerResumeCommand } from './commands/resume';
import { registerRunCommand } from './commands/run';
import { registerRunsCommand } from './commands/runs';
import { registerShowCommand } from './commands/show';
import { registerTensorboardCommand } from './commands/tensorboard';
import { registerUpCommand } from './commands/up';
import { registerWorkerCommand } from './commands/worker';
import { createCliContext, reportError, type CliContext, type CliIo } from './context';

/**
 * Runs the `tsfx` CLI with the given arguments and returns the exit code. Every command
 * accepts `--json` for scripting.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const isJson = argv.includes('--json');
  const program = new Command('tsfx')
    .description('tsfx: ML pipelines in TypeScript (ingest → validate → transform → train → evaluate → export → serve)')
    .option('--json', 'print machine-readable JSON')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run tsfx --help for usage)');

  const withContext = async (fn: (ctx: CliContext) => Promise<number>) => {
    let ctx: CliContext | null = null;
    try {
      ctx = createCliContext(io, isJson);
      exitCode = await fn(ctx);
    } catch (error) {
      exitCode = reportError(io, error, isJson, ctx ? `${ctx.config.home}/logs` : null);
    } finally {
      await ctx?.close().catch(() => undefined);
    }
  };

  for (const register of [
    registerRunCommand,
    registerRunsCommand,
    registerShowCommand,
    registerResumeCommand,
    registerCancelCommand,
    registerLineageCommand,
    registerTensorboardCommand,
    registerMetricsCommand,
    registerWorkerCommand,
    registerDataCommands,
    registerUpCommand,
    registerDoctorCommand,
  ]) {
    register(program, withContext);
  }

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors (unknown command or option,
      // missing argument) were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(io, error, isJson, null);
  }
  return exitCode;
}
