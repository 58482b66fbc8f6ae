import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { setLearningRate } from '../../../model/optimizer';
import { availableBackends } from '../../available-backends';
import { denseWithEmbedding, seededWeights, smallCnn, type TParityModel } from '../../parity/parity-models';
import { selectBackend } from '../../select-backend';
import { NativeAdamOptimizer } from '../native-adam';
import { nativeBackend } from '../native-backend';
import { evaluateWithGraph, predictWithGraph, releaseGraphFunctions } from './compiled-model';
import { CompiledTrainStep } from './compiled-train-step';
import { ATTR_KIND, encodeGraphDef } from './graph-def';
import { liveGraphFunctions } from './graph-function';
import { StableTraceCache } from './stable-trace';

describe('encodeGraphDef', () => {
  it('writes nodes, inputs, scalar and list attributes, and a constant as GraphDef wire format', () => {
    const bytes = encodeGraphDef([
      { name: 'shape', op: 'Const', inputs: [], attrs: [{ name: 'dtype', type: ATTR_KIND.type, value: 3 }], constant: { dtype: 3, shape: [2], bytes: new Uint8Array(new Int32Array([4, -1]).buffer) } },
      { name: 'pool', op: 'MaxPool', inputs: ['x', 'shape:1'], attrs: [{ name: 'ksize', type: ATTR_KIND.int, value: [1, 2, 2, 1] }, { name: 'padding', type: ATTR_KIND.string, value: 'VALID' }] },
    ]);
    const nodes: { name?: string; op?: string; inputs: string[]; attrs: Map<string, Uint8Array> }[] = [];
    const graph = new BinaryReader(bytes);
    while (graph.pos < graph.len) {
      const [field] = graph.tag();
      expect(field).toBe(1);
      const node = new BinaryReader(graph.bytes());
      const decoded: (typeof nodes)[number] = { inputs: [], attrs: new Map() };
      while (node.pos < node.len) {
        const [nodeField] = node.tag();
        if (nodeField === 1) decoded.name = node.string();
        else if (nodeField === 2) decoded.op = node.string();
        else if (nodeField === 3) decoded.inputs.push(node.string());
        else if (nodeField === 5) {
          const entry = new BinaryReader(node.bytes());
          entry.tag();
          const key = entry.string();
          entry.tag();
          decoded.attrs.set(key, entry.bytes());
        } else throw new Error(`unexpected NodeDef field ${nodeField}`);
      }
      nodes.push(decoded);
    }
    expect(nodes.map((n) => [n.name, n.op, n.inputs])).toEqual([
      ['shape', 'Const', []],
      ['pool', 'MaxPool', ['x', 'shape:1']],
    ]);
    // AttrValue.list (1) → ListValue.i (3), packed.
    const ksize = new BinaryReader(nodes[1]!.attrs.get('ksize')!);
    expect(ksize.tag()).toEqual([1, WireType.LengthDelimited]);
    const list = new BinaryReader(ksize.bytes());
    expect(list.tag()).toEqual([3, WireType.LengthDelimited]);
    const packed = new BinaryReader(list.bytes());
    const dims: number[] = [];
    while (packed.pos < packed.len) dims.push(Number(packed.int64()));
    expect(dims).toEqual([1, 2, 2, 1]);
    // AttrValue.tensor (8) → TensorProto with dtype, shape [2] and the raw int32 bytes (negative included).
    const value = new BinaryReader(nodes[0]!.attrs.get('value')!);
    expect(value.tag()).toEqual([8, WireType.LengthDelimited]);
    const tensor = new BinaryReader(value.bytes());
    expect(tensor.tag()[0]).toBe(1);
    expect(tensor.int32()).toBe(3);
    expect(tensor.tag()[0]).toBe(2);
    tensor.bytes();
    expect(tensor.tag()[0]).toBe(4);
    expect(Array.from(new Int32Array(tensor.bytes().slice().buffer))).toEqual([4, -1]);
  });
});

const { available } = await availableBackends();
const selection = available.includes('tensorflow') ? await selectBackend({ forced: 'tensorflow' }) : undefined;
console.log(
  selection?.graphFunctions
    ? 'graph functions checked on the tensorflow backend'
    : `graph functions not checked: ${selection ? 'this tfjs-node build has none (npm run setup:native -- --force)' : 'no tensorflow backend (npm run setup:native)'}`,
);

function build(parity: TParityModel, seed: number): tfl.LayersModel {
  const model = parity.build();
  const weights = seededWeights(model, seed).map((data) => tf.tensor(data.values, data.shape, data.dtype));
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

const inputsOf = (parity: TParityModel) => parity.inputs.map((data) => tf.tensor(data.values, data.shape, data.dtype));
const labelsOf = (parity: TParityModel) => tf.tensor(parity.labels.values, parity.labels.shape, parity.labels.dtype);

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

if (selection?.graphFunctions) {
  describe('graph functions on the tensorflow backend', () => {
    for (const parity of [smallCnn(), denseWithEmbedding()]) {
      it(`${parity.name}: inference as one graph function equals model.predict, follows weight changes, one function per batch shape`, async () => {
        await selectBackend({ forced: 'tensorflow' });
        const model = build(parity, 7);
        const inputs = inputsOf(parity);
        const before = liveGraphFunctions();
        for (let call = 0; call < 4; call++) {
          const expected = model.predict(inputs) as tf.Tensor;
          const [actual] = predictWithGraph(model, inputs);
          expect(maxDifference(await expected.data(), await actual!.data())).toBeLessThan(1e-5);
          tf.dispose([expected, actual!]);
        }
        // Two traces agree, then the third and fourth calls ran the registered function.
        expect(liveGraphFunctions()).toBe(before + 1);

        const other = seededWeights(model, 99).map((data) => tf.tensor(data.values, data.shape, data.dtype));
        model.setWeights(other);
        tf.dispose(other);
        const expected = model.predict(inputs) as tf.Tensor;
        const [actual] = predictWithGraph(model, inputs);
        expect(maxDifference(await expected.data(), await actual!.data())).toBeLessThan(1e-5);
        expect(liveGraphFunctions()).toBe(before + 1);

        const half = inputs.map((t) => tf.slice(t, 0, 16));
        for (let call = 0; call < 3; call++) tf.dispose(predictWithGraph(model, half));
        expect(liveGraphFunctions()).toBe(before + 2);

        releaseGraphFunctions(model);
        expect(liveGraphFunctions()).toBe(before);
        tf.dispose([expected, actual!, ...inputs, ...half]);
        model.dispose();
      });

      it(`${parity.name}: compiled training steps give the same losses, weights and Adam state as trainOnBatch, across a learning-rate change`, async () => {
        await selectBackend({ forced: 'tensorflow' });
        const inputs = inputsOf(parity);
        const labels = labelsOf(parity);
        const twins = [0, 1].map(() => {
          const model = build(parity, 11);
          model.compile({ optimizer: new NativeAdamOptimizer(0.01, 0.9, 0.999, 1e-7), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
          return model;
        });
        const [eager, compiled] = twins as [tfl.LayersModel, tfl.LayersModel];
        const step = new CompiledTrainStep(compiled);
        const functionsBefore = liveGraphFunctions();
        for (let i = 0; i < 8; i++) {
          if (i === 4) for (const model of twins) setLearningRate(model.optimizer, 0.003);
          const expected = [await eager.trainOnBatch(inputs, labels)].flat();
          const actual = await step.trainOnBatch(inputs, [labels]);
          expect(actual).toHaveLength(expected.length);
          expected.forEach((value, k) => expect(Math.abs(value - actual[k]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(value))));
        }
        expect(step.eagerReason).toBeUndefined();
        // One function per learning rate: steps 3–4 and 7–8 ran compiled.
        expect(liveGraphFunctions()).toBe(functionsBefore + 2);
        for (const [index, weight] of eager.weights.entries()) {
          expect(maxDifference(await weight.read().data(), await compiled.weights[index]!.read().data()), weight.name).toBeLessThan(1e-4);
        }
        expect(compiled.optimizer.iterations).toBe(eager.optimizer.iterations);
        const [eagerState, compiledState] = await Promise.all(twins.map((model) => model.optimizer.getWeights()));
        // Layer names differ between the twins (tfjs numbers them per process): compare the slot part.
        const slot = (name: string) => name.split('/').slice(-2).join('/');
        expect(compiledState!.map((w) => slot(w.name))).toEqual(eagerState!.map((w) => slot(w.name)));
        for (const [index, weight] of eagerState!.entries()) {
          expect(maxDifference(await weight.tensor.data(), await compiledState![index]!.tensor.data()), weight.name).toBeLessThan(1e-4);
        }
        step.dispose();
        expect(liveGraphFunctions()).toBe(functionsBefore);
        tf.dispose([...inputs, labels]);
        for (const model of twins) model.dispose();
      });
    }

    it('compiled steps match trainOnBatch for batch normalization (its moving statistics too) under SGD with a learning-rate change', async () => {
      await selectBackend({ forced: 'tensorflow' });
      const build = () =>
        tfl.sequential({
          layers: [
            tfl.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, useBias: false }),
            tfl.layers.batchNormalization(),
            tfl.layers.activation({ activation: 'relu' }),
            tfl.layers.flatten(),
            tfl.layers.dense({ units: 3, activation: 'softmax' }),
          ],
        });
      const [eager, compiled] = [build(), build()] as [tfl.LayersModel, tfl.LayersModel];
      compiled.setWeights(eager.getWeights());
      for (const model of [eager, compiled]) model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const parity = smallCnn();
      const x = tf.tidy(() => tf.slice(tf.tensor(parity.inputs[0]!.values, parity.inputs[0]!.shape), [0, 0, 0, 0], [16, 8, 8, 3]));
      const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32'), 3), 'float32');
      const step = new CompiledTrainStep(compiled);
      for (let i = 0; i < 6; i++) {
        if (i === 3) for (const model of [eager, compiled]) setLearningRate(model.optimizer, 0.05);
        const expected = [await eager.trainOnBatch(x, y)].flat();
        const actual = await step.trainOnBatch([x], [y]);
        expected.forEach((value, k) => expect(Math.abs(value - actual[k]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(value))));
      }
      expect(step.eagerReason).toBeUndefined();
      for (const [index, weight] of eager.weights.entries()) {
        expect(maxDifference(await weight.read().data(), await compiled.weights[index]!.read().data()), weight.name).toBeLessThan(1e-4);
      }
      // The moving statistics were updated by the compiled steps, not left at their initial values.
      const movingMean = compiled.weights.find((w) => w.name.endsWith('moving_mean'))!;
      expect(Math.max(...Array.from(await movingMean.read().data()).map(Math.abs))).toBeGreaterThan(0);
      step.dispose();
      tf.dispose([x, y]);
      eager.dispose();
      compiled.dispose();
    });

    it('evaluation as a graph function gives model.evaluate\'s loss and metrics', async () => {
      await selectBackend({ forced: 'tensorflow' });
      const parity = smallCnn();
      const model = build(parity, 5);
      model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const inputs = inputsOf(parity);
      const labels = labelsOf(parity);
      const before = liveGraphFunctions();
      for (let call = 0; call < 3; call++) {
        const expected = [model.evaluate(inputs, labels, { batchSize: 32 })].flat() as tf.Scalar[];
        const actual = evaluateWithGraph(model, inputs, [labels]);
        expect(actual).toHaveLength(2);
        for (const [k, scalar] of expected.entries()) expect((await actual[k]!.data())[0]).toBeCloseTo((await scalar.data())[0]!, 5);
        tf.dispose([...expected, ...actual]);
      }
      expect(liveGraphFunctions()).toBe(before + 1);
      releaseGraphFunctions(model);
      tf.dispose([...inputs, labels]);
      model.dispose();
    });

    it('a dropout mask is drawn afresh on every call of a graph function, at the layer rate', async () => {
      await selectBackend({ forced: 'tensorflow' });
      const dropout = tfl.layers.dropout({ rate: 0.25 });
      const x = tf.fill([64, 256], 2);
      const cache = new StableTraceCache(nativeBackend());
      for (let trace = 0; trace < 2; trace++) tf.dispose(cache.trace('dropout', [x], () => [dropout.apply(x, { training: true }) as tf.Tensor]));
      const compiled = cache.ready('dropout');
      expect(compiled, cache.eagerReason('dropout')).toBeDefined();
      const [first] = compiled!.call([x]);
      const [second] = compiled!.call([x]);
      const a = await first!.data();
      const b = await second!.data();
      const kept = Array.from(a).filter((v) => v !== 0);
      expect(kept.every((v) => Math.abs(v - 2 / 0.75) < 1e-6)).toBe(true);
      expect(Math.abs(kept.length / a.length - 0.75)).toBeLessThan(0.03);
      expect(maxDifference(a, b)).toBeGreaterThan(0);
      cache.dispose();
      tf.dispose([x, first!, second!]);
    });

    it('keeps at most its capacity of functions and forgets the least recently used signatures', async () => {
      await selectBackend({ forced: 'tensorflow' });
      const cache = new StableTraceCache(nativeBackend(), 2);
      const before = liveGraphFunctions();
      const sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
      for (const rows of sizes) {
        const x = tf.ones([rows, 3]);
        for (let trace = 0; trace < 2; trace++) tf.dispose(cache.trace(`rows=${rows}`, [x], () => [tf.mul(x, 2)]));
        x.dispose();
      }
      expect(liveGraphFunctions()).toBe(before + 2);
      expect(cache.ready('rows=11')).toBeDefined();
      expect(cache.ready('rows=1')).toBeUndefined();
      // A signature traced once and never again is forgotten after 4 × capacity newer ones.
      const once = tf.ones([20, 3]);
      tf.dispose(cache.trace('once', [once], () => [tf.mul(once, 2)]));
      for (const rows of sizes) {
        const x = tf.ones([rows, 5]);
        tf.dispose(cache.trace(`wide=${rows}`, [x], () => [tf.mul(x, 2)]));
        x.dispose();
      }
      expect(cache.has('once')).toBe(false);
      cache.dispose();
      expect(liveGraphFunctions()).toBe(before);
      once.dispose();
    });

    it('an embedding index out of range is still an error, raised by TensorFlow', async () => {
      await selectBackend({ forced: 'tensorflow' });
      const table = tf.tensor2d([[1], [2], [3]]);
      const indices = tf.tensor1d([0, 5], 'int32');
      expect(() => tf.gather(table, indices)).toThrow(/indices\[1\] = 5 is not in \[0, 3\)/);
      tf.dispose([table, indices]);
    });

    it('a computation that reads a value back mid-way stays eager and still returns the right result', async () => {
      await selectBackend({ forced: 'tensorflow' });
      const x = tf.tensor1d([1, 2, 3]);
      const cache = new StableTraceCache(nativeBackend());
      const [result] = cache.trace('reads', [x], () => {
        const squared = tf.square(x);
        const largest = Math.max(...squared.dataSync());
        return [tf.div(squared, largest)];
      });
      expect(maxDifference(await result!.data(), [1 / 9, 4 / 9, 1])).toBeLessThan(1e-6);
      expect(cache.eagerReason('reads')).toMatch(/reads a tensor back/);
      expect(cache.ready('reads')).toBeUndefined();
      cache.dispose();
      tf.dispose([x, result!]);
    });
  });
}
