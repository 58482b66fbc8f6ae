import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  computeCsvStatistics,
  computeStatistics,
  formatSchemaJson,
  hasErrorAnomalies,
  inferSchema,
  parseSchemaJson,
  readSourceBatches,
  sourceFromPath,
  validateStatistics,
  type BadRow,
  type TableBatch,
  type TIngestSource,
  type TDatasetStatistics,
  type TFeatureStatistics,
  type THistogramBucket,
} from '@tsfx/data';
import { PipelineError } from '@tsfx/shared';
import type { CliContext } from '../context';
import { formatTable } from '../format';
import { createProgressDisplay } from '../progress-display';

type WithContext = (fn: (ctx: CliContext) => Promise<number>) => Promise<void>;
type SourceOptions = { delimiter?: string; imageSize?: string };

/** `tsfx stats`, `tsfx schema`, `tsfx validate`: check data without a pipeline. */
export function registerDataCommands(program: Command, withContext: WithContext) {
  const sourceOptions = (command: Command) =>
    command
      .option('--delimiter <char>', 'CSV delimiter (default: comma; tab for .tsv)')
      .option('--image-size <HxW>', 'resize images of an image folder (default 150x150)');

  sourceOptions(program.command('stats').description('statistics of a data file (CSV, JSON Lines, JSON, Parquet, IDX, image folder)'))
    .argument('<file>', 'data file or image folder')
    .option('--workers <n>', 'threads parsing a CSV file (default: one per core; 1 = no worker threads)')
    .action(async (file: string, options: SourceOptions & { workers?: string }) =>
      withContext(async (ctx) => {
        const workers = options.workers === undefined ? undefined : parseWorkers(options.workers);
        const { stats, badRows } = await statisticsOf(ctx, file, options, { parallelCsv: true, workers });
        if (ctx.isJson) ctx.printJson({ statistics: stats, badRows: badRows.length });
        else printStatistics(ctx, stats, badRows);
        return 0;
      }),
    );

  sourceOptions(program.command('schema').description('infer a schema from a data file, to review, edit and pin'))
    .argument('<file>', 'data file or image folder')
    .option('--out <schema.json>', 'write the schema to this file instead of printing it')
    .action(async (file: string, options: SourceOptions & { out?: string }) =>
      withContext(async (ctx) => {
        const { stats } = await statisticsOf(ctx, file, options, { parallelCsv: true });
        const text = formatSchemaJson(inferSchema(stats));
        if (options.out) {
          await writeFile(options.out, text);
          ctx.print(`wrote ${options.out}: review it, edit it, then pin it (schemaStage's pinnedSchemaPath)`);
          if (ctx.isJson) ctx.printJson({ out: options.out });
        } else {
          ctx.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
        }
        return 0;
      }),
    );

  sourceOptions(program.command('validate').description('check a data file against a schema; exits 1 on error anomalies'))
    .argument('<file>', 'data file or image folder')
    .requiredOption('--schema <schema.json>', 'the schema to check against')
    .option('--baseline <file>', 'earlier data to measure drift against (the schema sets the thresholds)')
    .action(async (file: string, options: SourceOptions & { schema: string; baseline?: string }) =>
      withContext(async (ctx) => {
        const schema = parseSchemaJson(await readText(options.schema), options.schema);
        const { stats } = await statisticsOf(ctx, file, options, { parallelCsv: true });
        const baseline = options.baseline ? (await statisticsOf(ctx, options.baseline, options, { parallelCsv: true })).stats : undefined;
        const anomalies = validateStatistics(stats, schema, baseline ? { baseline } : {});
        if (ctx.isJson) {
          ctx.printJson(anomalies);
        } else if (anomalies.anomalies.length === 0) {
          ctx.print(`no anomalies: ${file} matches ${options.schema}`);
        } else {
          ctx.print(
            formatTable(
              ['SEVERITY', 'FEATURE', 'ANOMALY', 'DETAIL'],
              anomalies.anomalies.map((a) => [a.severity, a.feature ?? '(dataset)', a.shortDescription, a.longDescription]),
            ),
          );
        }
        if (!ctx.isJson && anomalies.driftScores.length > 0) {
          ctx.print('');
          ctx.print(
            formatTable(
              ['FEATURE', 'DRIFT MEASURE', 'SCORE', 'THRESHOLD'],
              anomalies.driftScores.map((s) => [s.feature, s.measure, s.value.toFixed(4), s.threshold === null ? '-' : String(s.threshold)]),
            ),
          );
        }
        return hasErrorAnomalies(anomalies) ? 1 : 0;
      }),
    );
}

/** How a command reads a CSV file: with `computeCsvStatistics` on `workers` threads (default one per core). */
type CsvParallelism = { parallelCsv: boolean; workers?: number | undefined };

async function statisticsOf(ctx: CliContext, file: string, options: SourceOptions, parallelism?: CsvParallelism) {
  const source = sourceFromPath(file, {
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    ...(options.imageSize ? { imageSize: parseImageSize(options.imageSize) } : {}),
  });
  if (parallelism?.parallelCsv && source.format === 'csv' && source.limit === undefined) {
    return csvStatisticsOf(ctx, source, parallelism.workers);
  }
  const display = createProgressDisplay(ctx.stderr, { isJson: ctx.isJson });
  const badRows: BadRow[] = [];
  let rows = 0;
  let label: { column: string; classNames: string[] } | undefined;
  display.onStageStart?.('stats', source.format);
  async function* batches(): AsyncGenerator<TableBatch> {
    for await (const chunk of readSourceBatches(source)) {
      badRows.push(...chunk.badRows);
      rows += chunk.batch.length;
      label ??= chunk.labelInfo;
      display.onStageProgress?.('stats', {
        done: chunk.bytesRead,
        total: chunk.totalBytes,
        unit: 'bytes',
        fraction: chunk.totalBytes ? chunk.bytesRead / chunk.totalBytes : undefined,
        rate: 0,
        etaSeconds: undefined,
        message: `${rows.toLocaleString('en-US')} rows`,
      });
      yield chunk.batch;
    }
  }
  // The label's class names arrive with the first batch, so statistics start after it.
  const iterator = batches();
  const first = await iterator.next();
  async function* all(): AsyncGenerator<TableBatch> {
    if (!first.done) yield first.value;
    yield* iterator;
  }
  const stats = await computeStatistics(all(), label ? { label } : {});
  display.onStageEnd?.('stats', 'COMPLETE', `${rows.toLocaleString('en-US')} rows`);
  display.finish();
  return { stats, badRows };
}

/** Statistics of a CSV file parsed on worker threads, with the same progress display. */
async function csvStatisticsOf(ctx: CliContext, source: Extract<TIngestSource, { format: 'csv' }>, workers: number | undefined) {
  const { format: _format, path, ...csvOptions } = source;
  const display = createProgressDisplay(ctx.stderr, { isJson: ctx.isJson });
  display.onStageStart?.('stats', source.format);
  const result = await computeCsvStatistics(path, {
    ...csvOptions,
    ...(workers !== undefined ? { workers } : {}),
    onProgress: ({ bytesRead, totalBytes, rows }) =>
      display.onStageProgress?.('stats', {
        done: bytesRead,
        total: totalBytes,
        unit: 'bytes',
        fraction: totalBytes ? bytesRead / totalBytes : undefined,
        rate: 0,
        etaSeconds: undefined,
        message: `${rows.toLocaleString('en-US')} rows`,
      }),
  });
  display.onStageEnd?.('stats', 'COMPLETE', `${result.statistics.numExamples.toLocaleString('en-US')} rows`);
  display.finish();
  return { stats: result.statistics, badRows: result.badRows };
}

function parseWorkers(text: string): number {
  const workers = Number(text);
  if (!/^\d+$/.test(text) || workers < 1) {
    throw new PipelineError('INVALID_INPUT', 'invalid --workers', { expected: 'a positive integer, e.g. 2 (1 = no worker threads)', received: text });
  }
  return workers;
}

function parseImageSize(text: string): [number, number] {
  const match = /^(\d+)x(\d+)$/.exec(text);
  if (!match) throw new PipelineError('INVALID_INPUT', 'invalid --image-size', { expected: 'HxW, e.g. 150x150', received: text });
  return [Number(match[1]), Number(match[2])];
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new PipelineError('NOT_FOUND', 'cannot read the schema file', { expected: 'a readable schema.json', received: path, cause: error });
  }
}

function printStatistics(ctx: CliContext, stats: TDatasetStatistics, badRows: BadRow[]) {
  ctx.print(`${stats.numExamples.toLocaleString('en-US')} examples, ${stats.features.length} features`);
  if (badRows.length > 0) {
    const first = badRows[0] as BadRow;
    ctx.print(`${badRows.length} bad rows were not counted (first: line ${first.line}: ${first.reason})`);
  }
  ctx.print('');
  ctx.print(formatTable(['FEATURE', 'TYPE', 'COUNT', 'MISSING', 'SUMMARY', 'DISTRIBUTION'], stats.features.map(featureRow)));
  if (stats.label) {
    ctx.print('');
    ctx.print(formatTable(['CLASS', 'COUNT'], stats.label.classCounts.map((c) => [c.className, String(c.count)])));
  }
}

function featureRow(feature: TFeatureStatistics): string[] {
  const total = feature.count + feature.missing;
  const missing = total > 0 ? `${((feature.missing / total) * 100).toFixed(1)}%` : '-';
  const base = [feature.name, feature.type, String(feature.count), missing];
  switch (feature.type) {
    case 'number': {
      const n = feature.numeric;
      return [...base, `mean ${fmt(n.mean)} std ${fmt(n.std)} min ${fmt(n.min)} max ${fmt(n.max)}`, sparkline(n.histogram)];
    }
    case 'string': {
      const s = feature.string;
      const top = s.topValues.slice(0, 3).map((v) => `${v.value} (${v.count})`).join(', ');
      return [...base, `${s.isDistinctExact ? '' : '~'}${s.distinct} distinct; top ${top}`, ''];
    }
    case 'image': {
      const i = feature.image;
      const shape = i.shapes.map((s) => s.shape.join('×')).join(', ');
      return [...base, `shape ${shape}; channel means ${i.channelMeans.map((m) => m.toFixed(1)).join(', ')}`, ''];
    }
  }
}

const BLOCKS = '▁▂▃▄▅▆▇█';
/** A histogram a person can read at a glance, in the terminal. */
export function sparkline(buckets: readonly THistogramBucket[]): string {
  const max = Math.max(0, ...buckets.map((b) => b.count));
  if (max === 0) return '';
  return buckets.map((b) => (b.count === 0 ? ' ' : BLOCKS[Math.min(7, Math.floor((b.count / max) * 7.999))])).join('');
}

function fmt(value: number | null): string {
  if (value === null) return '-';
  return Math.abs(value) >= 1e5 || (Math.abs(value) < 1e-3 && value !== 0) ? value.toExponential(3) : String(Number(value.toPrecision(5)));
}
