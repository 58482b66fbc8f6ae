/**
 * Child process of run.ts: statistics over one CSV with `computeCsvStatistics` (the CSV reader
 * of `readCsvBatches` feeding the statistics accumulator, on `--workers N` threads; 1 = the
 * calling thread alone), in a fresh process so VmHWM (peak resident memory) belongs to this
 * file size alone. Prints one JSON line.
 *
 * Run alone: `npx tsx bench/stats/measure-tsfx.ts <file.csv> [--workers N]`
 */
import { readFile } from 'node:fs/promises';
import { computeCsvStatistics } from '@tsfx/data';

async function vmHwmMiB(): Promise<number | null> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => null);
  const match = status && /VmHWM:\s+(\d+)\s+kB/.exec(status);
  return match ? Number(match[1]) / 1024 : null;
}

const file = process.argv[2];
if (!file) throw new Error('usage: measure-tsfx.ts <file.csv> [--workers N]');
const workersFlag = process.argv.indexOf('--workers');
const workers = workersFlag >= 0 ? Number(process.argv[workersFlag + 1]) : undefined;

let peakRss = process.memoryUsage.rss();
// The event loop is busy while this thread parses its chunks, so samples are sparse; VmHWM is exact.
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 10);
const cpuStart = process.cpuUsage();
const start = performance.now();
const { statistics: stats, badRows, workers: threads, timings } = await computeCsvStatistics(file, {
  ...(workers !== undefined ? { workers } : {}),
  onProgress: () => (peakRss = Math.max(peakRss, process.memoryUsage.rss())),
});
const totalMs = performance.now() - start;
// process.cpuUsage() counts every thread of the process, worker threads included.
const cpu = process.cpuUsage(cpuStart);
clearInterval(sampler);

const income = stats.features.find((f) => f.name === 'income');
const country = stats.features.find((f) => f.name === 'country');
console.log(
  JSON.stringify({
    rows: stats.numExamples,
    badRows: badRows.length,
    threads,
    totalMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    // Statistics time summed over threads (CPU-like, not wall) and the per-phase timings.
    statsMs: timings.threads.reduce((sum, t) => sum + t.statisticsMs, 0),
    timings,
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
