import { open, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { PipelineError } from '@tsfx/shared';
import { type CsvReadOptions, readCsvBatches, resolveCsvParserConfig } from '../ingest/csv';
import { createChunkWindow, skipBom } from '../ingest/internal/chunked-file';
import { type CsvColumnKind, type CsvParser, type CsvParserConfig, createCsvParser, type ParsedBatch } from '../ingest/internal/csv-parser';
import { fileError, throwIfAborted } from '../ingest/internal/util';
import type { BadRow } from '../ingest/types';
import { createStatisticsAccumulator, type StatisticsAccumulator, type StatisticsOptions } from './accumulator';
import { restoreStatistics, type StatisticsSnapshot } from './accumulator-snapshot';
import { createCsvChunkReader } from './csv-chunk-reader';
import { type CsvChunkResult, type CsvChunkSetup, createCsvChunkStatistics } from './csv-chunk-statistics';
import type { FromWorker, ToWorker } from './parallel-csv-messages';
import type { TDatasetStatistics } from './types';
import { startTypeScriptWorker } from './worker-bundle';

/** Options of {@link computeCsvStatistics}: how to read the CSV, and how to compute. */
export type CsvStatisticsOptions = Omit<CsvReadOptions, 'limit'> & {
  /** Statistics settings (label column, sketch sizes), as for `createStatisticsAccumulator`. */
  statistics?: StatisticsOptions;
  /**
   * Threads that parse and accumulate: the calling thread and `workers - 1` worker threads.
   * Default: the number of cores (`os.availableParallelism()`). 1 reads on the calling thread
   * alone, with `readCsvBatches`.
   */
  workers?: number;
  /**
   * Bytes of whole records parsed as one chunk (and read per step). Default 1 MiB. A file no
   * larger than one chunk is read on the calling thread alone: a worker would not pay off.
   */
  chunkSize?: number;
  /** Called as the file is consumed. */
  onProgress?: (progress: CsvStatisticsProgress) => void;
};

export type CsvStatisticsProgress = {
  /** Bytes of the file parsed so far. */
  bytesRead: number;
  totalBytes: number;
  /** Good rows added to the statistics so far (each thread reports in whole batches). */
  rows: number;
};

/** Where the time went: per parsing thread, and the parallel overheads. */
export type CsvStatisticsTimings = {
  totalMs: number;
  /**
   * Time each thread spent parsing and adding rows to its statistics: index 0 is the calling
   * thread (the header, type inference and its share of the chunks), then one per worker thread.
   */
  threads: { parseMs: number; statisticsMs: number }[];
  /** From the call until every worker thread had loaded its code (0 without worker threads). */
  workerStartMs: number;
  /** Restoring the worker threads' statistics and merging them, on the calling thread. */
  mergeMs: number;
};

export type CsvStatisticsResult = {
  statistics: TDatasetStatistics;
  /** Every bad row (not in the statistics) with its line in the file, in file order. */
  badRows: BadRow[];
  /** Threads that parsed: 1 when the calling thread read the file alone. */
  workers: number;
  timings: CsvStatisticsTimings;
};

/**
 * Chunks queued per worker thread: one being parsed, one waiting, so it never idles while the
 * calling thread parses a chunk of its own; more would only hold more memory.
 */
const MAX_CHUNKS_IN_FLIGHT = 2;
const DEFAULT_PARALLEL_CHUNK_SIZE = 1 << 20;
const WORKER_ENTRY = fileURLToPath(new URL('./parallel-csv-worker.ts', import.meta.url));

/**
 * Statistics of a CSV file (TFX StatisticsGen over a CSV), parsing on several cores.
 *
 * The calling thread reads the header and the first `inferRows` rows, which fix the column
 * kinds exactly as `readCsvBatches` does, then cuts the rest of the file into chunks of whole
 * records (a quote-aware scan: a line end inside quotes is no boundary) and deals them to the
 * worker threads, transferring the buffers rather than copying them, and to itself, on a fixed
 * schedule. Each thread parses with the `readCsvBatches` parser and feeds its own accumulator; at
 * the end the workers' snapshots are merged into the calling thread's (exact for counts,
 * moments and extremes; quantile, distinct-count and top-k sketches within their error bounds).
 * At most two chunks per worker are in flight, so memory stays flat in the file size. Where
 * the file is cut depends only on the file and the options, so results are the same from run
 * to run (they may differ with the number of workers, within the sketches' bounds).
 *
 * Bad rows are collected with their file line numbers: each chunk's lines are counted by the
 * thread that parsed it and added up in file order.
 *
 * @example
 * const { statistics, badRows } = await computeCsvStatistics('data.csv');
 */
export async function computeCsvStatistics(path: string, options: CsvStatisticsOptions = {}): Promise<CsvStatisticsResult> {
  const startedAt = performance.now();
  // Statistics cover the whole file: a `limit` slipped in by an untyped caller is ignored.
  const csvOptions = { ...options, limit: undefined };
  const config = resolveCsvParserConfig(path, csvOptions);
  const threadCount = resolveWorkerCount(options.workers);
  const chunkSize = resolveChunkSize(options.chunkSize);

  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileError(path, 'CSV file', error);
  }
  let totalBytes: number;
  try {
    totalBytes = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    throw fileError(path, 'CSV file', error);
  }
  if (threadCount === 1 || totalBytes <= chunkSize) {
    await handle.close();
    return computeOnThisThread(path, { ...csvOptions, chunkSize }, totalBytes, startedAt);
  }
  try {
    return await computeWithWorkers(handle, config, { ...csvOptions, chunkSize }, threadCount, totalBytes, startedAt);
  } finally {
    await handle.close();
  }
}

/** The sequential path: `readCsvBatches` into one accumulator. */
async function computeOnThisThread(
  path: string,
  options: CsvStatisticsOptions & { chunkSize: number },
  totalBytes: number,
  startedAt: number,
): Promise<CsvStatisticsResult> {
  const { statistics: statisticsOptions, workers: _workers, onProgress, ...csvOptions } = options;
  const accumulator = createStatisticsAccumulator(statisticsOptions);
  const badRows: BadRow[] = [];
  let statisticsMs = 0;
  let rows = 0;
  for await (const chunk of readCsvBatches(path, csvOptions)) {
    const before = performance.now();
    accumulator.add(chunk.batch);
    statisticsMs += performance.now() - before;
    badRows.push(...chunk.badRows);
    rows += chunk.batch.length;
    onProgress?.({ bytesRead: chunk.bytesRead, totalBytes, rows });
  }
  const before = performance.now();
  const statistics = accumulator.finish();
  statisticsMs += performance.now() - before;
  const totalMs = performance.now() - startedAt;
  return {
    statistics,
    badRows,
    workers: 1,
    timings: { totalMs, threads: [{ parseMs: totalMs - statisticsMs, statisticsMs }], workerStartMs: 0, mergeMs: 0 },
  };
}

async function computeWithWorkers(
  handle: FileHandle,
  config: CsvParserConfig,
  options: CsvStatisticsOptions & { chunkSize: number },
  threadCount: number,
  totalBytes: number,
  startedAt: number,
): Promise<CsvStatisticsResult> {
  const { chunkSize, signal, onProgress } = options;
  // Workers load their code while this thread reads the header and infers the column kinds.
  const pool = createWorkerPool(threadCount - 1);
  try {
    const accumulator = createStatisticsAccumulator(options.statistics);
    const head = await readHead(handle, config, chunkSize, accumulator, signal);
    if (head.rest === null) {
      // The file ended before the kinds were fixed: it is all read already.
      return finishResult(accumulator, head.badRows, [head.timings], 0, 0, startedAt);
    }
    const setup: CsvChunkSetup = {
      csv: { path: config.path, delimiter: config.delimiter, quote: config.quote, missingValues: config.missingValues, batchSize: config.batchSize },
      ...head.columns,
    };
    const workers = await pool.started;
    for (const worker of workers) worker.post({ type: 'start', statistics: options.statistics ?? {}, ...setup });

    // This thread takes its share of the chunks too: on two cores, one worker thread and this
    // one keep both busy without a second worker's start-up cost.
    head.parser.resume();
    const local = createCsvChunkStatistics(head.parser, accumulator);
    const chunkLengths: number[] = [];
    const chunkResults = new Map<number, CsvChunkResult>();
    let rows = head.rows;
    let bytesParsed = head.bytesRead - head.rest.length;
    const onChunk = (index: number, result: CsvChunkResult) => {
      chunkResults.set(index, result);
      bytesParsed += chunkLengths[index]!;
      rows += result.rows;
      onProgress?.({ bytesRead: bytesParsed, totalBytes, rows });
    };
    pool.onChunk = onChunk;

    // Cut the rest of the file into chunks of whole records and deal them out (threadOfChunk).
    const reader = createCsvChunkReader(handle, head.rest, chunkSize, config);
    pool.onBuffer = reader.release;
    for (let index = 0; ; index++) {
      throwIfAborted(signal);
      const worker = workers[threadOfChunk(index, workers.length)];
      if (worker) await pool.until(() => worker.inFlight < MAX_CHUNKS_IN_FLIGHT);
      const chunk = await reader.next();
      if (!chunk) break;
      chunkLengths.push(chunk.length);
      if (worker) {
        worker.sendChunk(index, chunk.buffer, chunk.length);
      } else {
        onChunk(index, local.add(chunk.buffer, chunk.length));
        reader.release(chunk.buffer);
      }
    }

    for (const worker of workers) worker.post({ type: 'finish' });
    local.finish();
    await pool.until(() => workers.every((worker) => worker.result !== null));
    const mergeStart = performance.now();
    for (const worker of workers) accumulator.merge(restoreStatistics(worker.result!.snapshot, options.statistics));
    const mergeMs = performance.now() - mergeStart;

    // Chunk line counts, added up in file order, turn chunk-relative lines into file lines.
    const badRows = [...head.badRows];
    let line = head.nextLine;
    for (let index = 0; index < chunkLengths.length; index++) {
      const chunk = chunkResults.get(index)!;
      for (const row of chunk.badRows) badRows.push({ ...row, line: line + row.line - 1 });
      line += chunk.lines;
    }
    const own = local.timings();
    const threads = [
      { parseMs: head.timings.parseMs + own.parseMs, statisticsMs: head.timings.statisticsMs + own.statisticsMs },
      ...workers.map(({ result }) => ({ parseMs: result!.parseMs, statisticsMs: result!.statisticsMs })),
    ];
    return finishResult(accumulator, badRows, threads, pool.readyAt() - startedAt, mergeMs, startedAt);
  } finally {
    await pool.terminate();
  }
}

function finishResult(
  accumulator: StatisticsAccumulator,
  badRows: BadRow[],
  threads: CsvStatisticsTimings['threads'],
  workerStartMs: number,
  mergeMs: number,
  startedAt: number,
): CsvStatisticsResult {
  const before = performance.now();
  const statistics = accumulator.finish();
  threads[0]!.statisticsMs += performance.now() - before;
  return {
    statistics,
    badRows,
    workers: threads.length,
    timings: { totalMs: performance.now() - startedAt, threads, workerStartMs, mergeMs },
  };
}

type Head = {
  /** The parser that read the head, its column kinds fixed. */
  parser: CsvParser;
  badRows: BadRow[];
  rows: number;
  timings: { parseMs: number; statisticsMs: number };
  /** Bytes read from the file so far (BOM included). */
  bytesRead: number;
  /** The read bytes after the last row parsed here; null when the whole file was parsed here. */
  rest: Buffer | null;
  /** The line the first row of `rest` starts on. */
  nextLine: number;
  columns: { names: string[]; kinds: CsvColumnKind[] };
};

/**
 * Parses the header and the rows that fix the column kinds on this thread (with the parser of
 * `readCsvBatches`, so the kinds are the same) and adds those rows to `accumulator`.
 */
async function readHead(
  handle: FileHandle,
  config: CsvParserConfig,
  chunkSize: number,
  accumulator: StatisticsAccumulator,
  signal: AbortSignal | undefined,
): Promise<Head> {
  const start = performance.now();
  const parser = createCsvParser({ ...config, stopWhenTyped: true });
  const window = createChunkWindow(handle, chunkSize);
  let isFirstChunk = true;
  for (;;) {
    throwIfAborted(signal);
    await window.fill();
    if (isFirstChunk && (window.end >= 3 || window.isEof)) {
      isFirstChunk = false;
      skipBom(window);
    }
    if (!isFirstChunk) window.start = parser.scan(window.buf, window.start, window.end, window.isEof);
    if (parser.isDone || window.isEof) break;
  }
  const isWholeFile = !parser.isDone;
  if (isWholeFile) parser.end();
  let statisticsMs = 0;
  let rows = 0;
  const badRows: BadRow[] = [];
  const add = ({ batch, badRows: bad }: ParsedBatch) => {
    const before = performance.now();
    accumulator.add(batch);
    statisticsMs += performance.now() - before;
    rows += batch.length;
    badRows.push(...bad);
  };
  parser.takeFull().forEach(add);
  add(parser.takeRest());
  return {
    parser,
    badRows,
    rows,
    timings: { parseMs: performance.now() - start - statisticsMs, statisticsMs },
    bytesRead: window.bytesRead,
    rest: isWholeFile ? null : window.buf.subarray(window.start, window.end),
    nextLine: parser.line,
    columns: parser.columns(),
  };
}

type WorkerResult = { snapshot: StatisticsSnapshot; parseMs: number; statisticsMs: number };

type PoolWorker = {
  inFlight: number;
  result: WorkerResult | null;
  post(message: ToWorker): void;
  sendChunk(index: number, buffer: Buffer, length: number): void;
};

type WorkerPool = {
  /** The workers, once each has been created (their code may still be loading). */
  started: Promise<PoolWorker[]>;
  /** Called when a worker thread has finished a chunk. */
  onChunk: (index: number, result: CsvChunkResult) => void;
  /** Called with the buffer of a chunk a worker thread has finished, to reuse it. */
  onBuffer: (buffer: Buffer) => void;
  /** Waits until `condition` holds, re-checking whenever a worker reports; throws a worker's failure. */
  until(condition: () => boolean): Promise<void>;
  /** When the last worker reported its code loaded. */
  readyAt(): number;
  terminate(): Promise<void>;
};

function createWorkerPool(count: number): WorkerPool {
  let failure: Error | null = null;
  let waiters: (() => void)[] = [];
  const notify = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  const fail = (error: Error) => {
    failure ??= error;
    notify();
  };
  const threads: Worker[] = [];
  let ready = 0;
  let lastReadyAt = 0;

  const spawn = async (): Promise<PoolWorker> => {
    const thread = await startTypeScriptWorker(WORKER_ENTRY);
    threads.push(thread);
    const worker: PoolWorker = {
      inFlight: 0,
      result: null,
      post: (message) => thread.postMessage(message),
      sendChunk(index, buffer, length) {
        worker.inFlight++;
        const message: ToWorker = { type: 'chunk', index, buffer: buffer.buffer as ArrayBuffer, length };
        thread.postMessage(message, [message.buffer]);
      },
    };
    thread.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          ready++;
          lastReadyAt = performance.now();
          break;
        case 'chunk':
          worker.inFlight--;
          pool.onBuffer(Buffer.from(message.buffer));
          pool.onChunk(message.index, { lines: message.lines, rows: message.rows, badRows: message.badRows });
          break;
        case 'snapshot':
          worker.result = { snapshot: message.snapshot, parseMs: message.parseMs, statisticsMs: message.statisticsMs };
          break;
        case 'error':
          fail(new PipelineError(message.error.code, message.error.message));
          break;
      }
      notify();
    });
    thread.on('error', (error) => fail(error));
    thread.on('exit', (code) => {
      if (worker.result === null) fail(new PipelineError('INTERNAL', `a statistics worker exited (code ${code}) before it finished`));
    });
    return worker;
  };

  const started = Promise.all(Array.from({ length: count }, spawn));
  // A failed start is reported when the workers are awaited; until then it must not go unhandled.
  started.catch(() => undefined);

  const pool: WorkerPool = {
    started,
    onChunk: () => undefined,
    onBuffer: () => undefined,
    async until(condition) {
      for (;;) {
        if (failure) throw failure;
        if (condition()) return;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    readyAt: () => (ready === count ? lastReadyAt : performance.now()),
    async terminate() {
      // Wait for every worker to exist (a start may still be bundling), then end them all.
      await started.catch(() => undefined);
      await Promise.all(threads.map((thread) => thread.terminate()));
    },
  };
  return pool;
}

/**
 * Chunks the calling thread parses beyond its round-robin share, while the workers load their
 * code (40 ms alone, 90–160 ms beside a busy thread) and run their first chunks unoptimised.
 * Measured at 1M rows on 2 cores (wall, best of 5 fresh processes each, on a shared machine):
 * 2 → 716 ms, 4 → 685 ms, 6 → 720 ms; larger head starts leave the calling thread last.
 */
const HEAD_START_CHUNKS = 4;

/**
 * The worker (its index) that parses chunk `index`, or -1 for the calling thread. A fixed
 * schedule, so the statistics do not depend on timing: first each worker gets as many chunks
 * as it may hold, so it has work the moment its code has loaded; then the calling thread takes
 * as many plus its head start; then round robin, the calling thread last.
 */
function threadOfChunk(index: number, workers: number): number {
  const queued = workers * MAX_CHUNKS_IN_FLIGHT;
  if (index < queued) return index % workers;
  const own = MAX_CHUNKS_IN_FLIGHT + HEAD_START_CHUNKS;
  if (index < queued + own) return -1;
  const turn = (index - queued - own) % (workers + 1);
  return turn === workers ? -1 : turn;
}

function resolveWorkerCount(workers: number | undefined): number {
  const count = workers ?? availableParallelism();
  if (!Number.isInteger(count) || count < 1) {
    throw new PipelineError('INVALID_INPUT', 'the number of statistics workers must be a positive integer', {
      expected: 'an integer ≥ 1 (1 = the calling thread alone)',
      received: String(workers),
    });
  }
  return count;
}

function resolveChunkSize(chunkSize: number | undefined): number {
  const size = chunkSize ?? DEFAULT_PARALLEL_CHUNK_SIZE;
  if (!Number.isInteger(size) || size < 1) {
    throw new PipelineError('INVALID_INPUT', 'chunkSize must be a positive number of bytes', {
      expected: 'an integer ≥ 1',
      received: String(chunkSize),
    });
  }
  return size;
}
