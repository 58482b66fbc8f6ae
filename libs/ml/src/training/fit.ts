import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { PipelineError } from '@tsfx/shared';
import { applyTransform, createRandom, takeRows, type TableBatch, type TTransformGraph } from '@tsfx/data';
import { evaluateWithGraph } from '../backend/native/graph-function/compiled-model';
import { CompiledTrainStep } from '../backend/native/graph-function/compiled-train-step';
import { getLearningRate, setLearningRate } from '../model';
import { augmentImages, isAugmenting } from './augment';
import { listCheckpoints, loadCheckpoint, saveCheckpoint, type TCheckpointLoop } from './checkpoint';
import { disposeFeed, toModelFeed } from './feed';
import { learningRateAt } from './learning-rate';
import type { TEpochLogs, TFitConfig } from './schemas';

export type TBatchEnd = { epoch: number; batch: number; batches: number; step: number; logs: Record<string, number> };
export type TEpochEnd = { epoch: number; epochs: number; logs: TEpochLogs };

export type TFitCallbacks = {
  onBatchEnd?: (info: TBatchEnd) => void | Promise<void>;
  /** After the epoch's validation, before its checkpoint is written. */
  onEpochEnd?: (info: TEpochEnd) => void | Promise<void>;
  onCheckpoint?: (info: { epochsDone: number; path: string }) => void | Promise<void>;
};

export type TFitOptions = {
  /** A compiled model whose inputs are `inputNames` (see `buildModel`). */
  model: LayersModel;
  inputNames: readonly string[];
  /** The fitted TransformGraph: raw rows become model inputs through the one `applyTransform`. */
  graph: TTransformGraph;
  /** The training split, raw (images stay uint8 until their batch is transformed). */
  train: TableBatch;
  validation?: TableBatch;
  config: TFitConfig;
  /** Write a checkpoint here after every epoch, and resume from the newest one found. */
  checkpointDir?: string;
  callbacks?: TFitCallbacks;
  signal?: AbortSignal;
};

export type TFitResult = {
  history: TEpochLogs[];
  /** Completed epochs including those restored from a checkpoint. */
  epochsDone: number;
  /** Epochs completed by an earlier, interrupted attempt and restored from its checkpoint. */
  resumedFromEpoch: number;
  stoppedEarly: boolean;
  /** The epoch (0-based) whose weights the model holds when `restoreBestWeights` applied. */
  bestEpoch: number | null;
  steps: number;
  /** Steps of this attempt that ran as one TensorFlow graph function (native backend), and why the others could not when a step was untraceable. */
  graphSteps: { compiled: number; eagerReason?: string };
};

/** tfjs-layers reports accuracy as `acc`; Keras, TensorBoard and our curves call it `accuracy`. */
function metricKey(name: string): string {
  return name === 'acc' ? 'accuracy' : name;
}

/** A permutation of 0..n-1 (Fisher–Yates) from a seeded generator. */
export function shuffledOrder(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/** A generator per (seed, epoch, purpose), so a resumed run replays the same order as an uninterrupted one. */
function epochRandom(seed: number, epoch: number, purpose: number): () => number {
  return createRandom((Math.imul(seed, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b) ^ purpose) >>> 0);
}

/**
 * Mean loss and metrics of `model` on `split`, in chunks of `batchSize` rows (Keras's
 * `model.evaluate`), each chunk transformed with the same graph as training.
 */
export async function evaluateSplit(
  model: LayersModel,
  inputNames: readonly string[],
  graph: TTransformGraph,
  split: TableBatch,
  batchSize: number,
  signal?: AbortSignal,
): Promise<Record<string, number>> {
  const names = model.metricsNames.map(metricKey);
  const sums = new Float64Array(names.length);
  for (let start = 0; start < split.length; start += batchSize) {
    signal?.throwIfAborted();
    const end = Math.min(split.length, start + batchSize);
    const indices = Int32Array.from({ length: end - start }, (_, k) => start + k);
    const feed = toModelFeed(applyTransform(graph, takeRows(split, indices)), inputNames);
    if (!feed.labels) throw new PipelineError('INVALID_INPUT', 'cannot evaluate without labels', { expected: `the label column in the split`, received: 'no label' });
    const scalars = evaluateWithGraph(model, feed.inputs, [feed.labels]);
    const values = await Promise.all(scalars.map((s) => s.data()));
    values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + (v[0] as number) * (end - start)));
    tf.dispose(scalars);
    disposeFeed(feed);
  }
  return Object.fromEntries(names.map((name, i) => [name, (sums[i] ?? 0) / Math.max(1, split.length)]));
}

function imageInputIndex(options: TFitOptions, feature: string | undefined): number {
  const images = options.graph.outputs.filter((o) => o.dtype === 'float32' && o.shape.length === 3).map((o) => o.name);
  const name = feature ?? (images.length === 1 ? images[0] : undefined);
  const index = name === undefined ? -1 : options.inputNames.indexOf(name);
  if (index === -1) {
    throw new PipelineError('INVALID_INPUT', 'image augmentation needs one image input of the model', {
      expected: feature ? `an image input named '${feature}'` : 'exactly one image feature (or augmentation.feature)',
      received: `image features ${images.join(', ') || '(none)'}`,
    });
  }
  return index;
}

/** Whether `value` improves on `best` for the monitored quantity. */
function improves(monitor: string, value: number, best: number | null, minDelta: number): boolean {
  if (best === null) return true;
  return monitor.endsWith('loss') ? value < best - minDelta : value > best + minDelta;
}

/**
 * Trains `model` for `config.epochs` epochs (Keras's `fit`): seeded shuffling, optional image
 * augmentation, a learning-rate schedule, validation after each epoch, early stopping, and a
 * checkpoint per epoch from which an interrupted run resumes with the same weights, optimizer
 * slots and data order as if it had never stopped. A non-finite loss stops training with an
 * error rather than training on garbage.
 */
export async function fitModel(options: TFitOptions): Promise<TFitResult> {
  const { model, config, train, callbacks } = options;
  if (!model.optimizer) throw new PipelineError('INVALID_INPUT', 'the model is not compiled', { expected: 'a compiled model (compileModel)', received: 'no optimizer' });
  if (train.length === 0) throw new PipelineError('INVALID_INPUT', 'nothing to train on', { expected: 'a training split with rows', received: '0 rows' });
  const initialRate = getLearningRate(model.optimizer);
  const imageIndex = config.augmentation && isAugmenting(config.augmentation) ? imageInputIndex(options, config.augmentation.feature) : -1;

  let loop: TCheckpointLoop = { epochsDone: 0, history: [], early: { best: null, bestEpoch: null, wait: 0 } };
  const early = config.earlyStopping;
  // Restoring the best weights needs them: kept in memory while training, read back from the
  // best epoch's checkpoint (kept for this) after a resume.
  let bestWeights: tf.Tensor[] | null = null;
  if (options.checkpointDir) {
    const found = await listCheckpoints(options.checkpointDir);
    const last = found[found.length - 1];
    if (last !== undefined) {
      const peek = await loadCheckpoint(options.checkpointDir, last, model);
      const best = peek.early.bestEpoch === null ? undefined : peek.early.bestEpoch + 1;
      if (early?.restoreBestWeights && best !== undefined && best !== last && found.includes(best)) {
        await loadCheckpoint(options.checkpointDir, best, model);
        bestWeights = model.getWeights().map((w) => w.clone());
      }
      // Last, so the model and its optimizer hold the newest state.
      loop = best !== undefined && best !== last && bestWeights ? await loadCheckpoint(options.checkpointDir, last, model) : peek;
    }
  }
  const resumedFromEpoch = loop.epochsDone;

  const batchesPerEpoch = Math.min(Math.ceil(train.length / config.batchSize), config.maxStepsPerEpoch ?? Infinity);
  let step = loop.epochsDone * batchesPerEpoch;
  let stoppedEarly = false;
  const keys = model.metricsNames.map(metricKey);
  // On the native backend each step runs as one TensorFlow graph function once traced.
  const trainStep = new CompiledTrainStep(model);
  try {

    for (let epoch = loop.epochsDone; epoch < config.epochs; epoch++) {
      const learningRate = learningRateAt(config.learningRateSchedule, initialRate, epoch, config.epochs);
      setLearningRate(model.optimizer, learningRate);
      const order = config.shuffle ? shuffledOrder(train.length, epochRandom(config.seed, epoch, 1)) : Int32Array.from({ length: train.length }, (_, i) => i);
      const augmentRandom = epochRandom(config.seed, epoch, 2);
      const sums = new Float64Array(keys.length);
      let seen = 0;
      const started = performance.now();

      for (let batch = 0; batch < batchesPerEpoch; batch++) {
        options.signal?.throwIfAborted();
        const indices = order.subarray(batch * config.batchSize, Math.min(train.length, (batch + 1) * config.batchSize));
        const feed = toModelFeed(applyTransform(options.graph, takeRows(train, indices)), options.inputNames);
        if (!feed.labels) throw new PipelineError('INVALID_INPUT', 'cannot train without labels', { expected: 'the label column in the training split', received: 'no label' });
        if (imageIndex >= 0 && config.augmentation) {
          const original = feed.inputs[imageIndex] as tf.Tensor4D;
          feed.inputs[imageIndex] = augmentImages(original, config.augmentation, augmentRandom);
          original.dispose();
        }
        const values = await trainStep.trainOnBatch(feed.inputs, [feed.labels]);
        disposeFeed(feed);
        const loss = values[0] as number;
        if (!Number.isFinite(loss)) {
          throw new PipelineError('INVALID_INPUT', `training diverged at epoch ${epoch + 1}, batch ${batch + 1}: lower the learning rate or check the inputs' scale`, {
            expected: 'a finite loss',
            received: String(loss),
          });
        }
        values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + v * indices.length));
        seen += indices.length;
        const logs = Object.fromEntries(keys.map((key, i) => [key, values[i] as number]));
        await callbacks?.onBatchEnd?.({ epoch, batch, batches: batchesPerEpoch, step, logs });
        step++;
      }
      const seconds = (performance.now() - started) / 1000;

      const logs: TEpochLogs = {
        epoch,
        learningRate,
        seconds,
        examplesPerSecond: seen / Math.max(seconds, 1e-9),
        ...Object.fromEntries(keys.map((key, i) => [key, (sums[i] ?? 0) / Math.max(1, seen)])),
      };
      if (options.validation && options.validation.length > 0) {
        const validation = await evaluateSplit(model, options.inputNames, options.graph, options.validation, config.validationBatchSize, options.signal);
        for (const [key, value] of Object.entries(validation)) logs[`val_${key}`] = value;
      }
      loop.history.push(logs);
      loop.epochsDone = epoch + 1;
      await callbacks?.onEpochEnd?.({ epoch, epochs: config.epochs, logs });

      if (early) {
        const value = logs[early.monitor];
        if (value === undefined) {
          throw new PipelineError('INVALID_INPUT', `early stopping monitors '${early.monitor}', which training does not report`, {
            expected: `one of ${Object.keys(logs).filter((k) => !['epoch', 'learningRate', 'seconds', 'examplesPerSecond'].includes(k)).join(', ')}`,
            received: early.monitor,
          });
        }
        if (improves(early.monitor, value, loop.early.best, early.minDelta)) {
          loop.early = { best: value, bestEpoch: epoch, wait: 0 };
          if (early.restoreBestWeights) {
            tf.dispose(bestWeights ?? []);
            bestWeights = model.getWeights().map((w) => w.clone());
          }
        } else {
          loop.early = { ...loop.early, wait: loop.early.wait + 1 };
        }
      }
      if (options.checkpointDir) {
        const keep = loop.early.bestEpoch === null ? undefined : loop.early.bestEpoch + 1;
        const path = await saveCheckpoint(options.checkpointDir, model, loop, keep);
        await callbacks?.onCheckpoint?.({ epochsDone: loop.epochsDone, path });
      }
      // Keras: stop once `patience` epochs in a row brought no improvement.
      if (early && loop.early.wait > 0 && loop.early.wait >= early.patience) {
        stoppedEarly = true;
        break;
      }
    }
  } finally {
    trainStep.dispose();
  }
  const graphSteps = { compiled: trainStep.compiledSteps, ...(trainStep.eagerReason ? { eagerReason: trainStep.eagerReason } : {}) };

  let bestEpoch: number | null = null;
  if (early?.restoreBestWeights && bestWeights && loop.early.bestEpoch !== null && loop.early.bestEpoch + 1 !== loop.epochsDone) {
    model.setWeights(bestWeights);
    bestEpoch = loop.early.bestEpoch;
  }
  tf.dispose(bestWeights ?? []);
  return { history: loop.history, epochsDone: loop.epochsDone, resumedFromEpoch, stoppedEarly, bestEpoch, steps: step, graphSteps };
}
