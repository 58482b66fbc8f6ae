import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { availableBackends } from '../available-backends';
import { SeededTensors } from '../parity/seeded-tensors';
import { NativeAdamOptimizer } from './native-adam';

const { available } = await availableBackends();
console.log(`NativeAdamOptimizer checked on: ${available.join(', ')}`);

type TProblem = { weights: tf.Variable[]; loss: () => tf.Scalar };

let made = 0;

/** A small least-squares problem with fixed data: three variables of different shapes. */
function problem(seed: number): TProblem {
  made += 1;
  const data = new SeededTensors(seed);
  const make = (shape: number[]) => {
    const d = data.uniform(shape);
    return tf.tensor(d.values, d.shape);
  };
  const x = make([16, 5]);
  const target = make([16, 3]);
  const weights = [make([5, 4]).variable(true, `w1_${made}`), make([4]).variable(true, `b1_${made}`), make([4, 3]).variable(true, `w2_${made}`)];
  const loss = () => tf.tidy(() => tf.losses.meanSquaredError(target, tf.matMul(tf.relu(tf.add(tf.matMul(x, weights[0]!), weights[1]!)), weights[2]!)) as tf.Scalar);
  return { weights, loss };
}

function train(optimizer: tf.Optimizer, { weights, loss }: TProblem, steps: number): void {
  for (let i = 0; i < steps; i++) optimizer.minimize(loss, false, weights)?.dispose();
}

const values = (weights: tf.Variable[]) => weights.map((w) => Array.from(w.dataSync()));

function maxDifference(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((value, j) => Math.abs(value - b[i]![j]!))));
}

for (const backend of available) {
  describe(`NativeAdamOptimizer on ${backend}`, () => {
    it('follows tfjs Adam (identical off the tensorflow backend; within 1e-5 on it, where ε is placed as in Keras)', async () => {
      await tf.setBackend(backend);
      const stock = problem(1);
      const fused = problem(1);
      train(tf.train.adam(0.01), stock, 25);
      const optimizer = new NativeAdamOptimizer(0.01, 0.9, 0.999);
      train(optimizer, fused, 25);
      const difference = maxDifference(values(stock.weights), values(fused.weights));
      if (backend === 'tensorflow') expect(difference).toBeLessThan(1e-5);
      else expect(difference).toBe(0);
      expect(optimizer.getClassName()).toBe('Adam');
      optimizer.dispose();
      tf.dispose([...stock.weights, ...fused.weights]);
    });

    it('resumes exactly from its getWeights, and notices weights changed behind its back', async () => {
      await tf.setBackend(backend);
      const straight = problem(2);
      const straightOptimizer = new NativeAdamOptimizer(0.01, 0.9, 0.999);
      train(straightOptimizer, straight, 20);

      const resumed = problem(2);
      const first = new NativeAdamOptimizer(0.01, 0.9, 0.999);
      train(first, resumed, 12);
      const slots = await first.getWeights();
      const savedSlots = slots.map((s) => ({ name: s.name, tensor: s.tensor.clone() }));
      const savedWeights = resumed.weights.map((w) => w.clone());
      train(first, resumed, 3); // steps a crash would lose
      first.dispose();
      resumed.weights.forEach((w, i) => w.assign(savedWeights[i]!));
      const second = new NativeAdamOptimizer(0.01, 0.9, 0.999);
      await second.setWeights(savedSlots);
      train(second, resumed, 8);

      // Not 0: setWeights recomputes β^t with pow where the straight run multiplied step by step.
      expect(maxDifference(values(straight.weights), values(resumed.weights))).toBeLessThan(1e-6);
      const [secondSlots, straightSlots] = [await second.getWeights(), await straightOptimizer.getWeights()];
      const layout = (list: typeof slots) => list.map((s) => s.name.replace(/_\d+/, ''));
      expect(layout(secondSlots)).toEqual(layout(straightSlots));
      const slotValues = (list: typeof slots) => list.map((s) => Array.from(s.tensor.dataSync()));
      expect(maxDifference(slotValues(straightSlots), slotValues(secondSlots))).toBeLessThan(1e-6);
      tf.dispose([...straight.weights, ...resumed.weights, ...savedWeights, ...savedSlots.map((s) => s.tensor)]);
      straightOptimizer.dispose();
      second.dispose();
    });
  });
}
