import type { Command } from 'commander';
import { getRun, listRunArtifacts } from '@tsfx/metadata';
import { tensorboardLogdir } from '@tsfx/pipeline';
import { PipelineError } from '@tsfx/shared';
import type { CliContext } from '../context';

export function registerTensorboardCommand(program: Command, withContext: (fn: (ctx: CliContext) => Promise<number>) => Promise<void>) {
  program
    .command('tensorboard')
    .description("print a run's TensorBoard logdir and the command that opens it")
    .argument('<run>', 'run id')
    .action(async (runId: string) =>
      withContext(async (ctx) => {
        const db = (await ctx.runtime()).store.db;
        await getRun(db, runId);
        const modelRuns = (await listRunArtifacts(db, runId)).filter((a) => a.type === 'ModelRun');
        if (modelRuns.length === 0) {
          throw new PipelineError('NOT_FOUND', `run ${runId} has no training logs yet`, {
            expected: 'a run whose train stage has completed',
            received: 'no ModelRun artifact',
          });
        }
        const logdirs = modelRuns.map((artifact) => tensorboardLogdir(artifact.uri));
        const command = `tensorboard --logdir ${logdirs.length === 1 ? logdirs[0] : `_=${logdirs.join(',_=')}`}`;
        if (ctx.isJson) {
          ctx.printJson({ runId, logdirs, command });
          return 0;
        }
        for (const logdir of logdirs) ctx.print(`logdir  ${logdir}`);
        ctx.print(`open    ${command}   (pip install tensorboard; then browse http://localhost:6006)`);
        return 0;
      }),
    );
}
