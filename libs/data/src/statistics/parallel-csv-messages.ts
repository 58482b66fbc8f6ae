import type { TPipelineErrorJson } from '@tsfx/shared';
import type { StatisticsOptions } from './accumulator';
import type { StatisticsSnapshot } from './accumulator-snapshot';
import type { CsvChunkResult, CsvChunkSetup } from './csv-chunk-statistics';

/** What the calling thread and a statistics worker say to each other (see parallel-csv-statistics.ts). */
export type ToWorker =
  | ({ type: 'start'; statistics: StatisticsOptions } & CsvChunkSetup)
  /** Whole records: `buffer[0, length)`; the buffer is transferred and comes back with the result. */
  | { type: 'chunk'; index: number; buffer: ArrayBuffer; length: number }
  | { type: 'finish' };

export type FromWorker =
  /** The worker's code is loaded. */
  | { type: 'ready' }
  | ({ type: 'chunk'; index: number; buffer: ArrayBuffer } & CsvChunkResult)
  | { type: 'snapshot'; snapshot: StatisticsSnapshot; parseMs: number; statisticsMs: number }
  /** What the worker threw, as `PipelineError.toJSON()` (errors of other kinds as INTERNAL). */
  | { type: 'error'; error: TPipelineErrorJson };
