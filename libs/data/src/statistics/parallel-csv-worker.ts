/**
 * Worker-thread entry of the parallel CSV statistics (parallel-csv-statistics.ts): adds the
 * chunks of whole records it is sent to its own statistics accumulator, and at the end sends
 * the accumulator back as a snapshot.
 */
import { parentPort } from 'node:worker_threads';
import { PipelineError, toPipelineError } from '@tsfx/shared';
import { createStatisticsAccumulator, type StatisticsAccumulator } from './accumulator';
import { snapshotStatistics } from './accumulator-snapshot';
import { createCsvChunkStatistics, createTypedCsvParser, type CsvChunkStatistics } from './csv-chunk-statistics';
import type { FromWorker, ToWorker } from './parallel-csv-messages';

const port = parentPort;
if (!port) {
  throw new PipelineError('INTERNAL', 'parallel-csv-worker runs only as a worker thread', {
    expected: 'new Worker(...) on this module',
    received: 'an import on the main thread',
  });
}

let work: { accumulator: StatisticsAccumulator; chunks: CsvChunkStatistics } | undefined;

const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

port.on('message', (message: ToWorker) => {
  try {
    handle(message);
  } catch (error) {
    post({ type: 'error', error: toPipelineError(error).toJSON() });
  }
});
post({ type: 'ready' });

function handle(message: ToWorker): void {
  if (message.type === 'start') {
    const accumulator = createStatisticsAccumulator(message.statistics);
    work = { accumulator, chunks: createCsvChunkStatistics(createTypedCsvParser(message), accumulator) };
    return;
  }
  if (!work) {
    throw new PipelineError('INTERNAL', 'statistics worker got work before its start message', {
      expected: "a 'start' message first",
      received: `a '${message.type}' message`,
    });
  }
  if (message.type === 'chunk') {
    const result = work.chunks.add(Buffer.from(message.buffer, 0, message.length), message.length);
    post({ type: 'chunk', index: message.index, buffer: message.buffer, ...result }, [message.buffer]);
    return;
  }
  work.chunks.finish();
  post({ type: 'snapshot', snapshot: snapshotStatistics(work.accumulator), ...work.chunks.timings() });
}
