/** Small seeded models and data for the export tests, on TF.js's pure-JS cpu backend. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/**
 * A classifier with a dense, a batch-norm (non-trainable moving stats) and a softmax head:
 * `features` inputs, `classes` outputs, weights seeded so two builds start identical.
 */
export function buildClassifier(options: { features?: number; hidden?: number; classes?: number; seed?: number } = {}): tfl.LayersModel {
  const { features = 4, hidden = 8, classes = 3, seed = 7 } = options;
  return tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [features],
        units: hidden,
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotUniform({ seed }),
        biasInitializer: tfl.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 1 }),
      }),
      tfl.layers.batchNormalization(),
      tfl.layers.dense({ units: classes, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }) }),
    ],
  });
}

/** `count` examples with `features` uniform features and a one-hot label from a fixed rule. */
export function makeClassificationData(count: number, features = 4, classes = 3, seed = 11): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    const xs = tf.randomUniform([count, features], -1, 1, 'float32', seed) as tf.Tensor2D;
    const score = tf.sum(xs, 1);
    const bucket = tf.clipByValue(tf.floor(tf.mul(tf.add(score, features), classes / (2 * features))), 0, classes - 1);
    const label = tf.cast(bucket, 'int32') as tf.Tensor1D;
    return { xs, ys: tf.cast(tf.oneHot(label, classes), 'float32') as tf.Tensor2D };
  });
}

/** Every weight of `model` as plain arrays, by weight name order. */
export function weightValues(model: tfl.LayersModel): Float32Array[] {
  return model.weights.map((w) => w.read().dataSync() as Float32Array);
}

/** Largest |a - b| over all weights of two models with the same architecture. */
export function maxWeightDifference(a: tfl.LayersModel, b: tfl.LayersModel): number {
  const wa = weightValues(a);
  const wb = weightValues(b);
  let max = 0;
  wa.forEach((values, i) => {
    const other = wb[i] as Float32Array;
    for (let k = 0; k < values.length; k++) max = Math.max(max, Math.abs((values[k] as number) - (other[k] as number)));
  });
  return max;
}
