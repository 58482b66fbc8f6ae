/**
 * A TensorBoard event-file writer: TFRecord-framed `Event` protos in a file named
 * `events.out.tfevents.<unix secs>.<hostname>.<pid>.<counter><suffix>`, the name TensorFlow's
 * `tf.summary.create_file_writer` uses (TensorBoard only reads files whose name holds "tfevents").
 *
 * Writing a summary only encodes and queues it (no await in a training loop). The queue goes to
 * disk when it holds `maxQueue` records or when `flushIntervalMs` has passed since the last write
 * (checked as records are added), and on `flush()` / `close()`, which also fsync. So a crash loses
 * at most the records still queued. A failed write is reported by the next `flush()` or `close()`.
 */
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { PipelineError } from '@tsfx/shared';
import {
  encodeEvent,
  encodeHistogramValue,
  encodeMetadataOnlyValue,
  encodeScalarValue,
  encodeStringTensorValue,
} from './encode-event';
import { encodeExperimentPluginData, encodeSessionStartPluginData, type THParamValue } from './encode-hparams';
import { computeHistogram } from './histogram-buckets';
import { FILE_VERSION, HPARAMS_TAG, KERAS_MODEL_TAG, PLUGIN_NAME } from './proto-fields';
import { frameRecord } from './record-framing';
import {
  assertScalarValue,
  assertStep,
  assertTag,
  assertWallTimeSecs,
  checkHParams,
  checkMetrics,
  deriveSessionGroupName,
  kerasModelConfigJson,
  type MetricRefInput,
} from './summary-inputs';

export type SummaryWriterOptions = {
  /** Appended to the file name; default ".v2" (as TF2). */
  filenameSuffix?: string;
  /** Clock in milliseconds since the UNIX epoch (default `Date.now`); event wall times come from it. */
  now?: () => number;
  /** Queued records that trigger a write to disk; default 10 (TF's `max_queue`). */
  maxQueue?: number;
  /** Age of the last write after which the next record triggers a write; default 5000 ms. */
  flushIntervalMs?: number;
};

export type HParamsOptions = {
  /** Session group; runs with the same group are repeats. Default: a hash of the hparams, as TensorBoard does. */
  groupName?: string;
  /** Default: the writer's clock. */
  startTimeSecs?: number;
};

export type SummaryWriter = {
  /** Absolute path of the event file. */
  readonly path: string;
  /** A float32 scalar (NaN and ±Infinity are written). `wallTimeSecs` defaults to now. */
  scalar(tag: string, value: number, step: number, wallTimeSecs?: number): void;
  /** Statistics and 30 equal-width buckets of finite `values` (see histogram-buckets.ts). */
  histogram(tag: string, values: ArrayLike<number>, step: number, wallTimeSecs?: number): void;
  /**
   * This run's hyperparameters for the HParams dashboard, at step 0: an experiment summary
   * (hparam names and types, the metrics to show) and the session start info (the values).
   */
  hparams(hparams: Readonly<Record<string, THParamValue>>, metrics: readonly MetricRefInput[], options?: HParamsOptions): void;
  /** The model config for the Graphs dashboard ("keras" tag, step 0), from TF.js `model.toJSON(null, false)`. */
  graph(kerasModelConfig: string | object): void;
  /** Writes everything queued and fsyncs; rejects if any write failed. */
  flush(): Promise<void>;
  /** Flushes and closes the file. Later writes throw; later close() and flush() calls return the same outcome. */
  close(): Promise<void>;
};

const DEFAULT_SUFFIX = '.v2';
const DEFAULT_MAX_QUEUE = 10;
const DEFAULT_FLUSH_INTERVAL_MS = 5_000;
/** Attempts at a free file name: two writers started in one second in one process get counters 0, 1, … */
const MAX_NAME_ATTEMPTS = 100;
/** Part of the name, like TF's global uid, so writers opened in the same second do not collide. */
let fileCounter = 0;

/** Creates `logdir` if needed and a new event file in it, whose first record is the file version. */
export async function createSummaryWriter(logdir: string, options: SummaryWriterOptions = {}): Promise<SummaryWriter> {
  if (typeof logdir !== 'string' || logdir.length === 0) {
    throw new PipelineError('INVALID_INPUT', 'TensorBoard logdir is invalid', { expected: 'a directory path', received: String(logdir) });
  }
  const suffix = options.filenameSuffix ?? DEFAULT_SUFFIX;
  if (/[/\\]/.test(suffix)) {
    throw new PipelineError('INVALID_INPUT', 'event file name suffix is invalid', { expected: 'no path separators', received: suffix });
  }
  const now = options.now ?? Date.now;
  const maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
  const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  if (!Number.isInteger(maxQueue) || maxQueue < 1 || !(flushIntervalMs >= 0)) {
    throw new PipelineError('INVALID_INPUT', 'summary writer queue options are invalid', {
      expected: 'maxQueue a positive integer and flushIntervalMs ≥ 0',
      received: `maxQueue ${maxQueue}, flushIntervalMs ${flushIntervalMs}`,
    });
  }

  const dir = resolve(logdir);
  await mkdir(dir, { recursive: true });
  const startMs = now();
  const { handle, path } = await openNewEventFile(dir, Math.floor(startMs / 1000), suffix);
  const writer = new EventFileWriter(handle, path, now, maxQueue, flushIntervalMs);
  writer.appendEvent(encodeEvent({ wallTime: startMs / 1000, step: 0, fileVersion: FILE_VERSION }));
  // The header reaches disk now, so the file is recognisable even if the process dies at once.
  await writer.flush();
  return writer;
}

async function openNewEventFile(dir: string, unixSecs: number, suffix: string): Promise<{ handle: FileHandle; path: string }> {
  for (let attempt = 0; attempt < MAX_NAME_ATTEMPTS; attempt++) {
    const path = join(dir, `events.out.tfevents.${unixSecs}.${hostname()}.${process.pid}.${fileCounter++}${suffix}`);
    try {
      // 'ax': append-only, and fail rather than write into someone else's file.
      return { handle: await open(path, 'ax'), path };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new PipelineError('CONFLICT', `no free event file name in ${dir}`, { expected: 'a new file name', received: `${MAX_NAME_ATTEMPTS} taken` });
}

class EventFileWriter implements SummaryWriter {
  private queue: Uint8Array[] = [];
  /** Writes run one after another on this chain, in the order records were queued. */
  private writes: Promise<void> = Promise.resolve();
  /** The first failed write; after it nothing more is written (the file could end mid-record). */
  private writeError: { error: unknown } | undefined;
  private lastWriteMs: number;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly handle: FileHandle,
    readonly path: string,
    private readonly now: () => number,
    private readonly maxQueue: number,
    private readonly flushIntervalMs: number,
  ) {
    this.lastWriteMs = now();
  }

  scalar(tag: string, value: number, step: number, wallTimeSecs?: number): void {
    assertTag(tag);
    assertScalarValue(tag, value);
    this.appendSummary(tag, step, wallTimeSecs, [encodeScalarValue(tag, value)]);
  }

  histogram(tag: string, values: ArrayLike<number>, step: number, wallTimeSecs?: number): void {
    assertTag(tag);
    this.appendSummary(tag, step, wallTimeSecs, [encodeHistogramValue(tag, computeHistogram(tag, values))]);
  }

  hparams(hparams: Readonly<Record<string, THParamValue>>, metrics: readonly MetricRefInput[], options: HParamsOptions = {}): void {
    const checked = checkHParams(hparams);
    const metricRefs = checkMetrics(metrics);
    const nowSecs = this.now() / 1000;
    const startTimeSecs = options.startTimeSecs ?? nowSecs;
    assertWallTimeSecs(HPARAMS_TAG.sessionStartInfo, startTimeSecs);
    const groupName = options.groupName ?? deriveSessionGroupName(checked);
    const experiment = encodeExperimentPluginData(checked, metricRefs, nowSecs);
    const sessionStart = encodeSessionStartPluginData(checked, groupName, startTimeSecs);
    this.appendSummary(HPARAMS_TAG.experiment, 0, nowSecs, [encodeMetadataOnlyValue(HPARAMS_TAG.experiment, PLUGIN_NAME.hparams, experiment)]);
    this.appendSummary(HPARAMS_TAG.sessionStartInfo, 0, nowSecs, [
      encodeMetadataOnlyValue(HPARAMS_TAG.sessionStartInfo, PLUGIN_NAME.hparams, sessionStart),
    ]);
  }

  graph(kerasModelConfig: string | object): void {
    const json = kerasModelConfigJson(kerasModelConfig);
    // Plugin content "1" is the version Keras writes (keras_model_summary).
    const value = encodeStringTensorValue(KERAS_MODEL_TAG, PLUGIN_NAME.kerasModel, new TextEncoder().encode('1'), json);
    this.appendSummary(KERAS_MODEL_TAG, 0, undefined, [value]);
  }

  flush(): Promise<void> {
    // Closing flushes everything, and nothing can be queued after it.
    return this.closing ?? this.writeAndSync();
  }

  close(): Promise<void> {
    this.closing ??= this.flushAndClose();
    return this.closing;
  }

  private async writeAndSync(): Promise<void> {
    await this.writeQueue();
    this.throwWriteError();
    await this.handle.datasync();
  }

  private async flushAndClose(): Promise<void> {
    try {
      await this.writeAndSync();
    } finally {
      await this.handle.close();
    }
  }

  private appendSummary(tag: string, step: number, wallTimeSecs: number | undefined, values: Uint8Array[]): void {
    assertStep(tag, step);
    if (wallTimeSecs !== undefined) assertWallTimeSecs(tag, wallTimeSecs);
    this.appendEvent(encodeEvent({ wallTime: wallTimeSecs ?? this.now() / 1000, step, summaryValues: values }));
  }

  /** Queues one serialized Event; used directly only for the file-version header. */
  appendEvent(event: Uint8Array): void {
    if (this.closing !== undefined) {
      throw new PipelineError('CONFLICT', `summary writer for ${this.path} is closed`, { expected: 'an open writer', received: 'closed' });
    }
    this.queue.push(frameRecord(event));
    if (this.queue.length >= this.maxQueue || this.now() - this.lastWriteMs >= this.flushIntervalMs) void this.writeQueue();
  }

  private writeQueue(): Promise<void> {
    if (this.queue.length > 0) {
      const chunk = concatBytes(this.queue);
      this.queue = [];
      this.lastWriteMs = this.now();
      this.writes = this.writes
        .then(async () => {
          if (this.writeError === undefined) await this.handle.appendFile(chunk);
        })
        .catch((error: unknown) => {
          this.writeError ??= { error };
        });
    }
    return this.writes;
  }

  private throwWriteError(): void {
    if (this.writeError !== undefined) throw this.writeError.error;
  }
}

function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
