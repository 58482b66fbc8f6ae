import type { Command } from 'commander';
import { describeBackends } from '@tsfx/ml';
import type { CliContext } from '../context';

/**
 * `tsfx doctor`: which TF.js backends this machine can run, why the others cannot, and which one
 * a run would use. Exit code 1 when the forced backend (TSFX_BACKEND) cannot be used.
 */
export function registerDoctorCommand(program: Command, withContext: (fn: (ctx: CliContext) => Promise<number>) => Promise<void>) {
  program
    .command('doctor')
    .description('report which training backends are available here and why the others are not')
    .action(async () =>
      withContext(async (ctx) => {
        const report = await describeBackends(ctx.config.backend ? { forced: ctx.config.backend } : {});
        const failed = 'error' in report.selected;
        if (ctx.isJson) {
          ctx.printJson(report);
          return failed ? 1 : 0;
        }
        for (const backend of report.available) ctx.print(`✔ ${backend.padEnd(10)} available${detail(report, backend)}`);
        for (const { backend, reason } of report.missing) ctx.print(`✘ ${backend.padEnd(10)} ${reason}`);
        const forced = report.forced ? ` (forced by TSFX_BACKEND=${report.forced})` : ' (the fastest available; TSFX_BACKEND forces one)';
        if ('error' in report.selected) ctx.print(`runs would fail: ${report.selected.error}`);
        else ctx.print(`runs use: ${report.selected.backend}${forced}`);
        if (!report.available.includes('tensorflow')) ctx.print('hint: `npm run setup:native` builds the native TensorFlow backend (2–5× faster training here, see BENCHMARKS.md)');
        return failed ? 1 : 0;
      }),
    );
}

function detail(report: Awaited<ReturnType<typeof describeBackends>>, backend: string): string {
  const selection = report.selected;
  if (backend === 'tensorflow') {
    const build = report.nativeBuild;
    const version = build?.tensorflowVersion ?? ('error' in selection ? undefined : selection.tensorflowVersion);
    const fixes = 'error' in selection || !selection.kernelFixes?.length ? '' : `; tsfx kernels: ${selection.kernelFixes.join(', ')}`;
    const graphs = 'error' in selection || selection.graphFunctions === undefined ? '' : selection.graphFunctions ? '; training steps and inference as graph functions' : '; op by op (this build has no graph functions: npm run setup:native -- --force --from-wheel)';
    return ` — TensorFlow ${version ?? '(version unknown)'}${build ? `, built from ${build.builtFrom}` : ''}${fixes}${graphs}`;
  }
  if (backend === 'wasm') return ' — SIMD, XNNPACK, 2 threads, tsfx training kernels';
  return ' — plain JavaScript (slow: never used to train convolutions)';
}
