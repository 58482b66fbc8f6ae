import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { applyTransform, takeRows, type TableBatch, type TTransformGraph } from '@tsfx/data';
import { predictWithGraph } from '../backend/native/graph-function/compiled-model';
import { disposeFeed, toModelFeed } from '../training/feed';

/** Class probabilities of every row (`rows × classes`, row-major) and the true labels when the split has them. */
export type TSplitPredictions = { rows: number; classes: number; probabilities: Float32Array; labels?: Int32Array };

/**
 * Runs a classifier over a whole split in chunks of `batchSize` rows, each chunk transformed with
 * the same graph as training (the one `applyTransform`). No compile needed: evaluation and
 * export compute their metrics from these predictions.
 */
export async function predictSplit(
  model: LayersModel,
  inputNames: readonly string[],
  graph: TTransformGraph,
  split: TableBatch,
  options: { batchSize?: number; signal?: AbortSignal } = {},
): Promise<TSplitPredictions> {
  const batchSize = options.batchSize ?? 256;
  const classes = model.outputs[0]?.shape.at(-1) ?? 1;
  const probabilities = new Float32Array(split.length * classes);
  let labels: Int32Array | undefined;
  for (let start = 0; start < split.length; start += batchSize) {
    options.signal?.throwIfAborted();
    const end = Math.min(split.length, start + batchSize);
    const indices = Int32Array.from({ length: end - start }, (_, k) => start + k);
    const transformed = applyTransform(graph, takeRows(split, indices));
    if (transformed.label) {
      labels ??= new Int32Array(split.length);
      labels.set(Int32Array.from(transformed.label), start);
    }
    const feed = toModelFeed(transformed, inputNames);
    const outputs = predictWithGraph(model, feed.inputs);
    probabilities.set(await (outputs[0] as tf.Tensor).data(), start * classes);
    tf.dispose(outputs);
    disposeFeed(feed);
  }
  return { rows: split.length, classes, probabilities, ...(labels ? { labels } : {}) };
}

/** Fraction of rows whose most probable class is the true one. */
export function accuracyOf(predictions: TSplitPredictions): number {
  const { rows, classes, probabilities, labels } = predictions;
  if (!labels || rows === 0) return NaN;
  let correct = 0;
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if ((probabilities[i * classes + k] as number) > (probabilities[i * classes + best] as number)) best = k;
    if (best === labels[i]) correct++;
  }
  return correct / rows;
}
