// The two benchmark CNNs, built with tfjs-layers directly (the same layers as the PyTorch and
// Keras peers in peer_torch.py / peer_keras.py). The lead will swap in the library's templates.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export type TBenchModel = 'fmnist' | 'rps';

export type TModelSpec = {
  name: TBenchModel;
  title: string;
  /** One image, HWC. */
  inputShape: [number, number, number];
  classes: number;
  build: () => tfl.LayersModel;
};

/** Fashion-MNIST: 28×28×1 → Conv 32 → Pool → Conv 64 → Pool → Dense 128 → Dropout 0.3 → Dense 10, Adam. */
function buildFmnist(): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dropout({ rate: 0.3 }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Rock-paper-scissors (the talk's model): 150×150×3 → 4 × (Conv 3×3 relu → MaxPool 2) with 64, 64, 128, 128 filters → Dropout 0.5 → Dense 512 → Dense 3, RMSprop. */
function buildRps(): tfl.LayersModel {
  const layers: tfl.layers.Layer[] = [];
  [64, 64, 128, 128].forEach((filters, i) => {
    layers.push(
      tfl.layers.conv2d({ ...(i === 0 ? { inputShape: [150, 150, 3] } : {}), filters, kernelSize: 3, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
    );
  });
  layers.push(
    tfl.layers.flatten(),
    tfl.layers.dropout({ rate: 0.5 }),
    tfl.layers.dense({ units: 512, activation: 'relu' }),
    tfl.layers.dense({ units: 3, activation: 'softmax' }),
  );
  const model = tfl.sequential({ layers });
  model.compile({ optimizer: tf.train.rmsprop(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export const MODELS: Record<TBenchModel, TModelSpec> = {
  fmnist: { name: 'fmnist', title: 'Fashion-MNIST CNN', inputShape: [28, 28, 1], classes: 10, build: buildFmnist },
  rps: { name: 'rps', title: 'Rock-paper-scissors CNN', inputShape: [150, 150, 3], classes: 3, build: buildRps },
};

/** A random batch: images uniform in [0, 1), one-hot labels. */
export function randomBatch(spec: TModelSpec, batchSize: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  return tf.tidy(() => {
    const xs = tf.randomUniform([batchSize, ...spec.inputShape]) as tf.Tensor4D;
    const labels = tf.randomUniform([batchSize], 0, spec.classes, 'int32') as tf.Tensor1D;
    const ys = tf.cast(tf.oneHot(labels, spec.classes), 'float32') as tf.Tensor2D;
    return { xs, ys };
  });
}
