import type { Command } from 'commander';
import { getRun, readMetricPoints } from '@tsfx/metadata';
import type { CliContext } from '../context';
import { formatTable } from '../format';

/** A sparkline of a series, so a curve can be read in a terminal. */
function sparkline(values: readonly number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return '';
  const min = Math.min(...finite);
  const span = Math.max(...finite) - min || 1;
  return values.map((v) => bars[Math.round(((v - min) / span) * (bars.length - 1))] ?? ' ').join('');
}

export function registerMetricsCommand(program: Command, withContext: (fn: (ctx: CliContext) => Promise<number>) => Promise<void>) {
  program
    .command('metrics')
    .description("a run's metric points (training curves): every tag, or those given with --tag")
    .argument('<run>', 'run id')
    .option('--tag <tag...>', 'only these tags (e.g. validation/epoch_accuracy)')
    .action(async (runId: string, options: { tag?: string[] }) =>
      withContext(async (ctx) => {
        const db = (await ctx.runtime()).store.db;
        await getRun(db, runId);
        const points = await readMetricPoints(db, { runId, ...(options.tag ? { tags: options.tag } : {}) });
        if (ctx.isJson) {
          ctx.printJson(points.map((p) => ({ tag: p.tag, stage: p.stageId, step: p.step, value: p.value, wallTime: p.wallTime })));
          return 0;
        }
        const byTag = new Map<string, { step: number; value: number }[]>();
        for (const p of points) byTag.set(p.tag, [...(byTag.get(p.tag) ?? []), { step: p.step, value: p.value }]);
        ctx.print(
          formatTable(
            ['TAG', 'POINTS', 'FIRST', 'LAST', 'CURVE'],
            [...byTag].map(([tag, series]) => [
              tag,
              String(series.length),
              series[0]?.value.toPrecision(4) ?? '',
              series.at(-1)?.value.toPrecision(4) ?? '',
              sparkline(series.slice(-40).map((s) => s.value)),
            ]),
          ),
        );
        return 0;
      }),
    );
}
