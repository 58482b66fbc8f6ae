import * as tf from '@tensorflow/tfjs-core';
import { PipelineError } from '@tsfx/shared';
import type { TTransformedBatch } from '@tsfx/data';

/** A model's inputs for one batch, in the model's input order, and the labels when known. */
export type TModelFeed = { inputs: tf.Tensor[]; labels?: tf.Tensor };

/**
 * Turns applyTransform's output into the tensors a model built by `buildModel` takes: one
 * tensor per input name (`[rows, ...shape]`, the output's dtype), in `inputNames` order, and
 * the labels as a `[rows, 1]` float32 column (sparse class ids or regression targets), which
 * tfjs-layers' sparse losses and metrics expect. The caller disposes the tensors.
 */
export function toModelFeed(batch: TTransformedBatch, inputNames: readonly string[]): TModelFeed {
  const inputs = inputNames.map((name) => {
    const feature = batch.features[name];
    if (!feature) {
      throw new PipelineError('INVALID_INPUT', `the model takes an input the transform does not produce`, {
        expected: `a transformed feature named '${name}'`,
        received: `features ${Object.keys(batch.features).join(', ') || '(none)'}`,
      });
    }
    return tf.tensor(feature.values, [batch.length, ...feature.shape], feature.dtype);
  });
  if (batch.label === undefined) return { inputs };
  const labels = tf.tensor2d(Float32Array.from(batch.label), [batch.length, 1], 'float32');
  return { inputs, labels };
}

export function disposeFeed(feed: TModelFeed): void {
  tf.dispose(feed.inputs);
  if (feed.labels) feed.labels.dispose();
}
