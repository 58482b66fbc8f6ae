import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SeededTensors, type TTensorData } from './seeded-tensors';

/** A small model and a fixed batch, rebuilt identically on every backend. */
export type TParityModel = {
  name: string;
  /** An uncompiled model; its weights are replaced by `seededWeights` before use. */
  build: () => tfl.LayersModel;
  inputs: TTensorData[];
  /** One-hot labels. */
  labels: TTensorData;
};

/** What one backend computed for a model, as plain arrays to compare across backends. */
export type TModelRun = {
  predictions: Float32Array;
  /** ∂loss/∂w for every trainable weight, by `weightLabel`. */
  gradients: Map<string, Float32Array>;
  /** Every weight after one `fit` epoch, by `weightLabel`. */
  fitted: Map<string, Float32Array>;
  /** Tensors left behind once the model, its optimizer and the data are disposed. */
  leakedTensors: number;
};

const BATCH = 32;

/** The one `fit` epoch: plain SGD (no optimizer state to amplify differences), no shuffling. */
export const PARITY_FIT = { learningRate: 0.1, batchSize: 8, steps: BATCH / 8 } as const;

function oneHotLabels(random: SeededTensors, classes: number): TTensorData {
  const values = new Float32Array(BATCH * classes);
  for (let row = 0; row < BATCH; row++) values[row * classes + Math.floor(random.next(0, classes))] = 1;
  return { shape: [BATCH, classes], dtype: 'float32', values };
}

/**
 * Conv 3×3 stride 1 `same` → ReLU → max pool → conv 3×3 stride 2 `valid` → average pool →
 * flatten → dense softmax. Its two convolutions take both wasm filter-gradient paths: im2col
 * (patch depth 3·3·3 = 27) and the transposed convolution (3·3·8 = 72).
 */
export function smallCnn(): TParityModel {
  const random = new SeededTensors(201);
  return {
    name: 'small CNN',
    build: () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [16, 16, 3], filters: 8, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 12, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' }),
          tfl.layers.averagePooling2d({ poolSize: 2, strides: 1 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 4, activation: 'softmax' }),
        ],
      }),
    inputs: [random.uniform([BATCH, 16, 16, 3], 0, 1)],
    labels: oneHotLabels(random, 4),
  };
}

/** An embedding of 4 token ids (Gather; UnsortedSegmentSum in the backward pass) next to 5 numeric features → dense ReLU → dense softmax. */
export function denseWithEmbedding(): TParityModel {
  const random = new SeededTensors(202);
  return {
    name: 'Dense + Embedding',
    build: () => {
      const ids = tfl.input({ shape: [4], dtype: 'int32', name: 'ids' });
      const numeric = tfl.input({ shape: [5], name: 'numeric' });
      const embedded = tfl.layers.flatten().apply(tfl.layers.embedding({ inputDim: 30, outputDim: 6 }).apply(ids)) as tfl.SymbolicTensor;
      const joined = tfl.layers.concatenate().apply([embedded, numeric]) as tfl.SymbolicTensor;
      const hidden = tfl.layers.dense({ units: 16, activation: 'relu' }).apply(joined) as tfl.SymbolicTensor;
      const output = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(hidden) as tfl.SymbolicTensor;
      return tfl.model({ inputs: [ids, numeric], outputs: output });
    },
    inputs: [random.integers([BATCH, 4], 0, 29, 'int32'), random.uniform([BATCH, 5])],
    labels: oneHotLabels(random, 3),
  };
}

/** Weights for `model` from a seed: uniform ±√(3 / fan-in) for kernels and embeddings (unit-variance activations), ±0.1 for biases. */
export function seededWeights(model: tfl.LayersModel, seed: number): TTensorData[] {
  const random = new SeededTensors(seed);
  return model.weights.map((weight) => {
    const shape = weight.shape as number[];
    if (shape.length < 2) return random.uniform(shape, -0.1, 0.1);
    const fanIn = shape.slice(0, -1).reduce((size, dim) => size * dim, 1);
    const limit = Math.sqrt(3 / fanIn);
    return random.uniform(shape, -limit, limit);
  });
}

/**
 * A weight's name that is the same in every build: its position and role ("3 dense/kernel [48,4]").
 * tfjs-layers numbers layer names per process (dense_Dense1, dense_Dense2, …), so names differ.
 */
export function weightLabel(model: tfl.LayersModel, weight: tfl.LayerVariable): string {
  const layerIndex = model.layers.findIndex((layer) => layer.weights.includes(weight));
  const layer = model.layers[layerIndex];
  return `${layerIndex} ${layer?.getClassName() ?? '?'}/${weight.name.split('/').pop() ?? weight.name} [${weight.shape.join(',')}]`;
}

function toTensor(data: TTensorData): tf.Tensor {
  return tf.tensor(data.values, data.shape, data.dtype);
}

/** Mean categorical cross-entropy of softmax outputs, written out so no loss helper's backend quirks enter. */
function crossEntropy(probabilities: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.log(tf.maximum(probabilities, 1e-7))), -1))) as tf.Scalar;
}

/**
 * On `backendName`: builds the model with the seeded weights, predicts the batch, takes the
 * gradient of the loss with respect to every trainable weight, then fits one epoch (PARITY_FIT)
 * and reads every weight back; and counts the tensors left behind.
 */
export async function runModel(backendName: string, parityModel: TParityModel, weightSeed: number): Promise<TModelRun> {
  await tf.setBackend(backendName);
  const tensorsBefore = tf.memory().numTensors;
  const model = parityModel.build();
  const optimizer = tf.train.sgd(PARITY_FIT.learningRate);
  const inputs = parityModel.inputs.map(toTensor);
  const labels = toTensor(parityModel.labels);
  let disposed = false;
  const disposeAll = () => {
    if (disposed) return;
    disposed = true;
    model.dispose();
    optimizer.dispose();
    tf.dispose([...inputs, labels]);
  };
  try {
    const result = await predictDifferentiateFit(model, optimizer, inputs, labels, weightSeed);
    disposeAll();
    return { ...result, leakedTensors: tf.memory().numTensors - tensorsBefore };
  } finally {
    disposeAll();
  }
}

async function predictDifferentiateFit(
  model: tfl.LayersModel,
  optimizer: tf.Optimizer,
  inputs: tf.Tensor[],
  labels: tf.Tensor,
  weightSeed: number,
): Promise<Omit<TModelRun, 'leakedTensors'>> {
  const weights = seededWeights(model, weightSeed).map(toTensor);
  model.setWeights(weights);
  tf.dispose(weights);

  const predicted = model.predict(inputs) as tf.Tensor;
  const predictions = (await predicted.data()) as Float32Array;
  predicted.dispose();

  // LayerVariable.read() is typed Tensor but is the tf.Variable the layer trains.
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(inputs, { training: true }) as tf.Tensor, labels), variables);
  const gradients = new Map<string, Float32Array>();
  for (const [index, weight] of model.trainableWeights.entries()) {
    const gradient = grads[variables[index]!.name];
    if (gradient === undefined) throw new Error(`no gradient for ${weight.name}`);
    gradients.set(weightLabel(model, weight), (await gradient.data()) as Float32Array);
  }
  tf.dispose([value, ...Object.values(grads)]);

  model.compile({ optimizer, loss: 'categoricalCrossentropy' });
  await model.fit(inputs, labels, { epochs: 1, batchSize: PARITY_FIT.batchSize, shuffle: false, verbose: 0 });
  const fitted = new Map<string, Float32Array>();
  for (const weight of model.weights) fitted.set(weightLabel(model, weight), (await weight.read().data()) as Float32Array);
  return { predictions, gradients, fitted };
}
