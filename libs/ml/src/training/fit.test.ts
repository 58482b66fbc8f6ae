import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { fitTransform, type TableBatch, type TTransformGraph } from '@tsfx/data';
import { withTempDir } from '@tsfx/shared/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, compileModel, type TModelSpec } from '../model';
import { listCheckpoints } from './checkpoint';
import { fitModel, shuffledOrder } from './fit';
import { ZFitConfig, type TFitConfigInput } from './schemas';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Two noisy numeric features; the class is which side of x + y = 0 a point lies (learnable, not trivial). */
function pointsBatch(n: number, seed: number): TableBatch {
  let state = seed;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const label: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    x[i] = random() * 4 - 2;
    y[i] = random() * 4 - 2;
    label.push((x[i] as number) + (y[i] as number) > 0 ? 'above' : 'below');
  }
  return {
    length: n,
    columns: [
      { kind: 'number', name: 'x', values: x },
      { kind: 'number', name: 'y', values: y },
      { kind: 'string', name: 'side', values: label },
    ],
  };
}

const SPEC: TModelSpec = {
  kind: 'functional',
  inputs: ['features'],
  layers: [
    { name: 'features', type: 'DenseFeatures', config: {}, inbound: [] },
    { name: 'hidden', type: 'Dense', config: { units: 8, activation: 'relu' }, inbound: ['features'] },
    { name: 'out', type: 'Dense', config: { units: 2, activation: 'softmax' }, inbound: ['hidden'] },
  ],
  outputs: ['out'],
};

async function setup(): Promise<{ graph: TTransformGraph; train: TableBatch; validation: TableBatch }> {
  const train = pointsBatch(256, 1);
  const validation = pointsBatch(128, 2);
  const graph = await fitTransform(
    { columns: [{ kind: 'numeric', key: 'x' }, { kind: 'numeric', key: 'y' }], label: { kind: 'class', key: 'side' } },
    [train],
  );
  return { graph, train, validation };
}

function newModel(graph: TTransformGraph, learningRate = 0.05) {
  const built = buildModel(SPEC, { features: graph.outputs, numClasses: 2 });
  compileModel(built.model, { loss: 'sparseCategoricalCrossentropy', optimizer: { type: 'adam', learningRate }, metrics: ['accuracy'] });
  return built;
}

const config = (input: TFitConfigInput) => ZFitConfig.parse(input);

describe('fitModel', () => {
  it('learns, validates every epoch and reports Keras names per batch and per epoch', async () => {
    const { graph, train, validation } = await setup();
    const { model, inputNames } = newModel(graph);
    const batches: number[] = [];
    const result = await fitModel({
      model,
      inputNames,
      graph,
      train,
      validation,
      config: config({ epochs: 6, batchSize: 32 }),
      callbacks: { onBatchEnd: ({ step, logs }) => void batches.push(step, logs.loss as number) },
    });
    expect(result.history).toHaveLength(6);
    expect(Object.keys(result.history[0] ?? {})).toEqual(
      expect.arrayContaining(['loss', 'accuracy', 'val_loss', 'val_accuracy', 'learningRate', 'examplesPerSecond']),
    );
    expect(batches.length / 2).toBe(6 * 8);
    const first = result.history[0] as Record<string, number>;
    const last = result.history[5] as Record<string, number>;
    expect(last.loss).toBeLessThan(first.loss as number);
    expect(last.val_accuracy).toBeGreaterThan(0.9);
    model.dispose();
  });

  it('resumes from the last checkpoint with the same weights as an uninterrupted run', async () => {
    const { graph, train } = await setup();
    const reference = newModel(graph);
    const initial = reference.model.getWeights().map((w) => w.clone());
    const fit = config({ epochs: 4, batchSize: 32, seed: 7 });
    await fitModel({ ...reference, graph, train, config: fit });

    await withTempDir(async (dir) => {
      const interrupted = newModel(graph);
      interrupted.model.setWeights(initial);
      await fitModel({ ...interrupted, graph, train, config: { ...fit, epochs: 2 }, checkpointDir: dir });
      expect(await listCheckpoints(dir)).toEqual([2]);
      interrupted.model.dispose();

      // A fresh process: new model object with other initial weights, same checkpoint folder.
      const resumed = newModel(graph);
      const result = await fitModel({ ...resumed, graph, train, config: fit, checkpointDir: dir });
      expect(result.resumedFromEpoch).toBe(2);
      expect(result.history).toHaveLength(4);
      const expected = reference.model.getWeights();
      resumed.model.getWeights().forEach((w, i) => {
        const difference = tf.max(tf.abs(tf.sub(w, expected[i] as tf.Tensor))).dataSync()[0] as number;
        expect(difference).toBeLessThan(1e-6);
      });
      resumed.model.dispose();
    });
    reference.model.dispose();
    tf.dispose(initial);
  });

  it('stops early after `patience` epochs without improvement and restores the best weights', async () => {
    const { graph, train, validation } = await setup();
    // A vanishing learning rate cannot improve val_loss by minDelta after the first epoch.
    const { model, inputNames } = newModel(graph, 1e-9);
    let afterFirst: Float32Array[] = [];
    const result = await fitModel({
      model,
      inputNames,
      graph,
      train,
      validation,
      config: config({ epochs: 20, earlyStopping: { monitor: 'val_loss', patience: 2, minDelta: 0.01 } }),
      callbacks: {
        onEpochEnd: ({ epoch }) => {
          if (epoch === 0) afterFirst = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
        },
      },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsDone).toBe(3);
    expect(result.bestEpoch).toBe(0);
    model.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(afterFirst[i] as Float32Array)));
    model.dispose();
  });

  it('follows the learning-rate schedule epoch by epoch', async () => {
    const { graph, train } = await setup();
    const { model, inputNames } = newModel(graph, 0.1);
    const result = await fitModel({
      model,
      inputNames,
      graph,
      train,
      config: config({ epochs: 3, maxStepsPerEpoch: 1, learningRateSchedule: { kind: 'exponential', decayRate: 0.5 } }),
    });
    expect(result.history.map((h) => h.learningRate)).toEqual([0.1, 0.05, 0.025]);
    model.dispose();
  });

  it('refuses an uncompiled model and an empty split, saying what it expected', async () => {
    const { graph, train } = await setup();
    const built = buildModel(SPEC, { features: graph.outputs, numClasses: 2 });
    await expect(fitModel({ ...built, graph, train, config: config({}) })).rejects.toThrow(/not compiled/);
    const compiled = newModel(graph);
    await expect(fitModel({ ...compiled, graph, train: { length: 0, columns: [] }, config: config({}) })).rejects.toThrow(/nothing to train on/);
  });
});

describe('shuffledOrder', () => {
  it('is a permutation, fixed by the seed', () => {
    let s = 3;
    const random = () => ((s = (Math.imul(s, 48271) + 11) >>> 0) / 2 ** 32);
    const order = shuffledOrder(100, random);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...order]).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
