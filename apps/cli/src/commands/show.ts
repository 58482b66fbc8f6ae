import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatModelSummary, ZModelSummary } from '@tsfx/ml';
import { modelSummaryPath } from '@tsfx/pipeline';
import { getRun, latestMetrics, listExecutions, listRunArtifacts } from '@tsfx/metadata';
import type { CliContext } from '../context';
import { formatDuration, formatTable, formatTime } from '../format';

export function registerShowCommand(program: Command, withContext: (fn: (ctx: CliContext) => Promise<number>) => Promise<void>) {
  program
    .command('show')
    .description('show a run: stages, states, durations, artifacts and key metrics')
    .argument('<run>', 'run id')
    .action(async (runId: string) =>
      withContext(async (ctx) => {
        const db = (await ctx.runtime()).store.db;
        const run = await getRun(db, runId);
        const [executions, artifacts, metrics] = await Promise.all([
          listExecutions(db, runId),
          listRunArtifacts(db, runId),
          latestMetrics(db, runId),
        ]);
        if (ctx.isJson) {
          ctx.printJson({ run, executions, artifacts, metrics });
          return 0;
        }
        ctx.print(`run ${run.id}  ${run.state}  attempt ${run.attempt}  created ${formatTime(run.createdAt)}  took ${formatDuration(run.startedAt, run.finishedAt)}`);
        ctx.print(`params ${JSON.stringify(run.params)}${run.useCache ? '' : '  (cache off)'}`);
        if (run.error) ctx.print(`error  ${run.error}`);
        ctx.print('');
        ctx.print(
          formatTable(
            ['STAGE', 'TYPE', 'STATE', 'ATTEMPT', 'DURATION', 'NOTE'],
            executions.map((execution) => [
              execution.stageId,
              execution.stageType,
              execution.state,
              String(execution.attempt),
              formatDuration(execution.startedAt, execution.finishedAt),
              execution.cachedFromId ? `cached from ${execution.cachedFromId}` : (execution.error ?? execution.progressMessage ?? ''),
            ]),
          ),
        );
        if (artifacts.length > 0) {
          ctx.print('');
          ctx.print(formatTable(['ARTIFACT', 'TYPE', 'URI'], artifacts.map((a) => [a.id, a.type, a.uri])));
        }
        // The model summary the train stage stored (the talk's layer / output shape / params table).
        for (const artifact of artifacts.filter((a) => a.type === 'Model')) {
          const summary = await readModelSummary(artifact.uri);
          if (summary) {
            ctx.print('');
            ctx.print(`model ${artifact.id}`);
            ctx.print(summary);
          }
        }
        const tags = Object.entries(metrics);
        if (tags.length > 0) {
          ctx.print('');
          ctx.print(formatTable(['METRIC', 'STEP', 'VALUE'], tags.map(([tag, m]) => [tag, String(m.step), formatNumber(m.value)])));
        }
        return 0;
      }),
    );
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(5);
}

async function readModelSummary(uri: string): Promise<string | null> {
  try {
    return formatModelSummary(ZModelSummary.parse(JSON.parse(await readFile(modelSummaryPath(uri), 'utf8'))));
  } catch {
    // An unreadable summary must not hide the rest of the run.
    return null;
  }
}
