import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build';
import { compileModel } from './compile';
import './custom-layers';
import { createOptimizer, getLearningRate, setLearningRate, type TOptimizerSpec } from './optimizer';
import { registerLoss, registerMetric } from './registry';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** softmax(5 · x): rows 0–2 predict their one-hot position, row 3 predicts class 0. */
const x = () =>
  tf.tensor2d([
    [5, 0, 0],
    [0, 5, 0],
    [0, 0, 5],
    [5, 0, 0],
  ]);
/** Class ids as the training feed sends them, `[batch, 1]` float32: 3 of 4 predictions are right. */
const labels = () => tf.tensor2d([[0], [1], [2], [2]], [4, 1]);

/** A 3-class softmax whose prediction is the argmax of its input. */
function identityClassifier(): LayersModel {
  const { model } = buildModel(
    {
      kind: 'sequential',
      layers: [
        { type: 'Input', config: { shape: [3] } },
        { type: 'Dense', name: 'head', config: { units: 'numClasses', activation: 'softmax', useBias: false } },
      ],
    },
    { features: [], numClasses: 3 },
  );
  model.getLayer('head').setWeights([tf.eye(3)]);
  return model;
}

async function evaluate(model: LayersModel): Promise<number[]> {
  const results = model.evaluate(x(), labels()) as tf.Scalar[];
  return Promise.all(results.map(async (result) => (await result.data())[0] as number));
}

/** Sparse cross-entropy written out, so it is a function tfjs-layers does not recognize. */
function sparseCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const classes = yPred.shape[yPred.shape.length - 1] as number;
    const oneHot = tf.oneHot(tf.cast(tf.reshape(yTrue, [-1]), 'int32'), classes);
    return tf.neg(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(yPred, 1e-7, 1))), -1));
  });
}

describe('compileModel', () => {
  it('defaults to sparse categorical cross-entropy, Adam at 0.001 and accuracy', () => {
    const model = identityClassifier();
    const spec = compileModel(model);
    expect(spec).toEqual({ loss: 'sparseCategoricalCrossentropy', optimizer: { type: 'adam', learningRate: 0.001 }, metrics: ['accuracy'] });
    expect(model.optimizer).toBeInstanceOf(tf.AdamOptimizer);
    expect(getLearningRate(model.optimizer)).toBe(0.001);
    expect(model.metricsNames).toEqual(['loss', 'acc']);
  });

  it("computes accuracy correctly for class-id labels with tfjs's sparse loss", async () => {
    const model = identityClassifier();
    compileModel(model, { metrics: ['accuracy', 'sparseCategoricalAccuracy'] });
    expect(model.metricsNames).toEqual(['loss', 'acc', 'sparseCategoricalAccuracy']);
    const [loss, accuracy, sparseAccuracy] = await evaluate(model);
    expect(accuracy).toBeCloseTo(0.75, 6);
    expect(sparseAccuracy).toBeCloseTo(0.75, 6);
    // Mean of −log p(true class): three confident hits and one confident miss.
    const hit = -Math.log(Math.exp(5) / (Math.exp(5) + 2));
    const miss = -Math.log(1 / (Math.exp(5) + 2));
    expect(loss).toBeCloseTo((3 * hit + miss) / 4, 4);
  });

  it('feeds a registered loss class-id labels and keeps `accuracy` sparse', async () => {
    registerLoss('doubledSparseCrossentropy', (yTrue, yPred) => tf.mul(sparseCrossentropy(yTrue, yPred), 2));
    const stock = identityClassifier();
    compileModel(stock);
    const [stockLoss] = await evaluate(stock);

    const model = identityClassifier();
    compileModel(model, { loss: 'doubledSparseCrossentropy' });
    expect(model.metricsNames).toEqual(['loss', 'acc']);
    expect(model.loss).toBe('doubledSparseCrossentropy');
    const [loss, accuracy] = await evaluate(model);
    // The registered function is the one computing the loss.
    expect(loss).toBeCloseTo(2 * (stockLoss as number), 4);
    expect(accuracy).toBeCloseTo(0.75, 6);

    // Why compileModel does not simply hand tfjs the function: tfjs then demands one-hot targets.
    const naive = identityClassifier();
    naive.compile({ loss: sparseCrossentropy, optimizer: 'adam', metrics: ['accuracy'] });
    expect(() => naive.evaluate(x(), labels())).toThrow('each example has shape [3]');
  });

  it('trains with a registered loss', async () => {
    registerLoss('plainSparseCrossentropy', sparseCrossentropy);
    const model = identityClassifier();
    compileModel(model, { loss: 'plainSparseCrossentropy', optimizer: { type: 'sgd', learningRate: 0.5 } });
    const history = await model.fit(x(), labels(), { epochs: 20, verbose: 0 });
    // Rows 0 and 3 share an input but not a label, so the loss has a floor well above 0; the
    // confident miss on row 3 is what training pulls down.
    const losses = history.history['loss'] as number[];
    expect(losses[losses.length - 1]).toBeLessThan((losses[0] as number) * 0.75);
  });

  it('reports a registered metric under its name', async () => {
    registerMetric('meanTopProbability', (_yTrue, yPred) => tf.max(yPred, -1));
    const model = identityClassifier();
    compileModel(model, { metrics: ['meanTopProbability'] });
    expect(model.metricsNames).toEqual(['loss', 'meanTopProbability']);
    const [, top] = await evaluate(model);
    expect(top).toBeCloseTo(Math.exp(5) / (Math.exp(5) + 2), 5);
  });

  it('names the known losses, metrics and optimizers when given an unknown one', () => {
    const model = identityClassifier();
    expect(() => compileModel(model, { loss: 'hinge' })).toThrow(
      "invalid compile spec: loss: unknown loss 'hinge'; known losses: sparseCategoricalCrossentropy, categoricalCrossentropy, binaryCrossentropy, meanSquaredError, or a registered loss",
    );
    expect(() => compileModel(model, { metrics: ['auc'] })).toThrow("metrics.0: unknown metric 'auc'; known metrics: accuracy, sparseCategoricalAccuracy");
    expect(() => compileModel(model, { optimizer: { type: 'adagrad' } as never })).toThrow("optimizer.type: Invalid discriminator value. Expected 'adam' | 'sgd' | 'rmsprop'");
    expect(() => compileModel(model, { optimizer: { type: 'adam', learningRate: 0.01, rho: 0.9 } as never })).toThrow('Unrecognized key: "rho"');
  });

  it('refuses to register a built-in name or a second function under a taken name', () => {
    expect(() => registerLoss('meanSquaredError', sparseCrossentropy)).toThrow("a different built-in loss is already registered as 'meanSquaredError'");
    registerMetric('alwaysOne', (yTrue) => tf.onesLike(yTrue));
    expect(() => registerMetric('alwaysOne', (yTrue) => tf.zerosLike(yTrue))).toThrow("a different metric is already registered as 'alwaysOne'");
  });
});

describe('setLearningRate', () => {
  const specs: TOptimizerSpec[] = [
    { type: 'adam', learningRate: 0.1 },
    { type: 'sgd', learningRate: 0.1 },
    { type: 'sgd', learningRate: 0.1, momentum: 0.9 },
    { type: 'rmsprop', learningRate: 0.1, rho: 0.9 },
  ];

  /** How far one step with gradient 1 moves a weight of 0. */
  function firstStep(spec: TOptimizerSpec, rate?: number): number {
    const optimizer = createOptimizer(spec);
    if (rate !== undefined) setLearningRate(optimizer, rate);
    const weight = tf.variable(tf.scalar(0));
    optimizer.applyGradients({ [weight.name]: tf.scalar(1) });
    const moved = Math.abs(weight.dataSync()[0] as number);
    expect(getLearningRate(optimizer)).toBe(rate ?? spec.learningRate);
    weight.dispose();
    optimizer.dispose();
    return moved;
  }

  it.each(specs.map((spec) => [spec.type + ('momentum' in spec && spec.momentum ? ' with momentum' : ''), spec] as const))(
    'changes the step of %s',
    (_name, spec) => {
      const full = firstStep(spec);
      const tenth = firstStep(spec, spec.learningRate / 10);
      expect(full).toBeGreaterThan(0);
      // Each optimizer's first step is proportional to its learning rate.
      expect(tenth / full).toBeCloseTo(0.1, 4);
    },
  );

  it('takes effect between fit calls of a compiled model', async () => {
    const model = identityClassifier();
    compileModel(model, { optimizer: { type: 'sgd', learningRate: 0.5 } });
    setLearningRate(model.optimizer, 0);
    const before = model.getLayer('head').getWeights()[0]?.dataSync().slice();
    await model.fit(x(), labels(), { epochs: 1, verbose: 0 });
    expect(model.getLayer('head').getWeights()[0]?.dataSync()).toEqual(before);
    setLearningRate(model.optimizer, 0.5);
    await model.fit(x(), labels(), { epochs: 1, verbose: 0 });
    expect(model.getLayer('head').getWeights()[0]?.dataSync()).not.toEqual(before);
  });

  it('rejects a negative rate and an optimizer it does not know', () => {
    expect(() => setLearningRate(tf.train.sgd(0.1), -1)).toThrow('a learning rate is a finite number ≥ 0');
    expect(() => setLearningRate(tf.train.adagrad(0.1), 0.01)).toThrow('the learning rate of a Adagrad optimizer cannot be read or changed here');
  });
});
