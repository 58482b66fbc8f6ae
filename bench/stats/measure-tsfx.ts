/**
 * Child process of run.ts: statistics over one CSV through the ingest CSV reader, in a fresh
 * process so VmHWM (peak resident memory) belongs to this file size alone.
 * Prints one JSON line.
 */
import { readFile } from 'node:fs/promises';
import { createStatisticsAccumulator, readCsvBatches, type TableBatch } from '@tsfx/data';

/** What the bench needs from a source: batches of a file. */
type BatchSource = (path: string) => AsyncIterable<{ batch: TableBatch; badRows: readonly unknown[] }>;

const csvSource: BatchSource = (path) => readCsvBatches(path);

async function vmHwmMiB(): Promise<number | null> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => null);
  const match = status && /VmHWM:\s+(\d+)\s+kB/.exec(status);
  return match ? Number(match[1]) / 1024 : null;
}

const file = process.argv[2];
if (!file) throw new Error('usage: measure-tsfx.ts <file.csv>');

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 10);
const cpuStart = process.cpuUsage();
const start = performance.now();
const accumulator = createStatisticsAccumulator();
let rows = 0;
let badRows = 0;
let statsMs = 0;
for await (const { batch, badRows: bad } of csvSource(file)) {
  const before = performance.now();
  accumulator.add(batch);
  statsMs += performance.now() - before;
  rows += batch.length;
  badRows += bad.length;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}
const finishStart = performance.now();
const stats = accumulator.finish();
statsMs += performance.now() - finishStart;
const totalMs = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
clearInterval(sampler);

const income = stats.features.find((f) => f.name === 'income');
const country = stats.features.find((f) => f.name === 'country');
console.log(
  JSON.stringify({
    rows,
    badRows,
    totalMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    statsMs,
    peakRssMiB: peakRss / 1024 / 1024,
    vmHwmMiB: await vmHwmMiB(),
    check: {
      incomeMean: income?.type === 'number' ? income.numeric.mean : null,
      incomeMedian: income?.type === 'number' ? income.numeric.median : null,
      countryDistinct: country?.type === 'string' ? country.string.distinct : null,
      balanceMissing: stats.features.find((f) => f.name === 'balance')?.missing ?? null,
    },
  }),
);
