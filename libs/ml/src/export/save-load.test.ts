import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTempDir } from '@tsfx/shared/testing';
import { loadModelFromDirectory, saveModelToDirectory } from './save-load';
import { buildClassifier, makeClassificationData, maxWeightDifference, useCpuBackend } from './testing/tiny-models';

const OPTIMIZERS: Record<string, () => tf.Optimizer> = {
  adam: () => tf.train.adam(0.02),
  rmsprop: () => tf.train.rmsprop(0.01),
  'sgd-momentum': () => tf.train.momentum(0.05, 0.9),
};

function compiled(makeOptimizer: () => tf.Optimizer): tfl.LayersModel {
  const model = buildClassifier({ seed: 21 });
  model.compile({ optimizer: makeOptimizer(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

describe('save with optimizer, load, continue training', () => {
  const data = { xs: tf.zeros([1, 1]), ys: tf.zeros([1, 1]) };
  beforeAll(async () => {
    await useCpuBackend();
    Object.assign(data, makeClassificationData(48, 4));
  });
  afterAll(() => tf.dispose([data.xs, data.ys]));

  // Deterministic epochs: same batches in the same order in both runs.
  const fit = (model: tfl.LayersModel, epochs: number) => model.fit(data.xs, data.ys, { epochs, batchSize: 12, shuffle: false, verbose: 0 });

  for (const [name, makeOptimizer] of Object.entries(OPTIMIZERS)) {
    it(`${name}: 3 epochs + checkpoint + 3 epochs equals 6 uninterrupted epochs (within 1e-6)`, async () => {
      await withTempDir(async (root) => {
        const uninterrupted = compiled(makeOptimizer);
        await fit(uninterrupted, 6);

        const first = compiled(makeOptimizer);
        await fit(first, 3);
        const dir = join(root, 'epoch-3');
        const written = await saveModelToDirectory(first, dir, { includeOptimizer: true, quantize: 'uint8' });
        const optimizerSpecs = written.modelJson.weightsManifest[0]?.weights.filter((w) => w.group === 'optimizer') ?? [];
        expect(optimizerSpecs.length).toBeGreaterThan(0);
        // Optimizer slots are saved exactly, even when model weights are quantized.
        expect(optimizerSpecs.every((w) => w.quantization === undefined)).toBe(true);
        expect(written.modelJson.trainingConfig).toMatchObject({ loss: 'categorical_crossentropy' });

        // Quantized weights would not resume exactly, so the resumable checkpoint is a plain one.
        await saveModelToDirectory(first, join(root, 'exact'), { includeOptimizer: true });
        const resumed = await loadModelFromDirectory(join(root, 'exact'));
        expect(resumed.optimizer.getClassName()).toBe(first.optimizer.getClassName());
        await fit(resumed, 3);
        expect(maxWeightDifference(resumed, uninterrupted)).toBeLessThanOrEqual(1e-6);

        // Without the optimizer state (a fresh optimizer from the same config) the run diverges:
        // the comparison above is sensitive to what the checkpoint restores.
        await saveModelToDirectory(first, join(root, 'no-opt'));
        const restarted = await loadModelFromDirectory(join(root, 'no-opt'));
        expect(restarted.optimizer).toBeUndefined();
        restarted.compile({ optimizer: makeOptimizer(), loss: 'categoricalCrossentropy' });
        await fit(restarted, 3);
        expect(maxWeightDifference(restarted, uninterrupted)).toBeGreaterThan(1e-4);
      });
    });
  }

  it('refuses includeOptimizer for a model that was never compiled', async () => {
    await withTempDir(async (root) => {
      await expect(saveModelToDirectory(buildClassifier(), join(root, 'x'), { includeOptimizer: true })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        expected: expect.stringContaining('compiled with an optimizer'),
      });
    });
  });
});
