import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../build';
import { PoincareNormalization } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function apply(layer: PoincareNormalization, values: number[][]): number[][] {
  return (layer.apply(tf.tensor2d(values)) as tf.Tensor).arraySync() as number[][];
}

function norm(vector: readonly number[]): number {
  return Math.hypot(...vector);
}

describe('PoincareNormalization', () => {
  it('projects vectors with norm above 1 − ε onto that radius and leaves the others alone', () => {
    const epsilon = 0.1;
    const [long, inside, justOutside, zero] = apply(new PoincareNormalization({ epsilon }), [
      [3, 4],
      [0.3, 0.4],
      [0.6, 0.8],
      [0, 0],
    ]);
    // ‖(3, 4)‖ = 5 → (3, 4) · 0.9 / 5
    expect(long?.[0]).toBeCloseTo(0.54, 6);
    expect(long?.[1]).toBeCloseTo(0.72, 6);
    // ‖·‖ = 0.5 < 0.9: unchanged
    expect(inside?.[0]).toBeCloseTo(0.3, 6);
    expect(inside?.[1]).toBeCloseTo(0.4, 6);
    // ‖·‖ = 1: tfa's threshold is 1 − ε, not 1, so this is projected too
    expect(norm(justOutside ?? [])).toBeCloseTo(0.9, 6);
    expect(zero).toEqual([0, 0]);
  });

  it("uses tfa's defaults (axis 1, ε = 1e-5) and normalizes along a configured axis", () => {
    const layer = new PoincareNormalization();
    expect([layer.axis, layer.epsilon]).toEqual([1, 1e-5]);
    expect(norm(apply(layer, [[30, 40]])[0] ?? [])).toBeCloseTo(1 - 1e-5, 6);

    // Columns instead of rows: column (3, 4) has norm 5, column (0.1, 0.1) stays.
    const columns = apply(new PoincareNormalization({ axis: 0, epsilon: 0.5 }), [
      [3, 0.1],
      [4, 0.1],
    ]);
    expect(columns[0]?.[0]).toBeCloseTo(0.3, 6);
    expect(columns[1]?.[0]).toBeCloseTo(0.4, 6);
    expect(columns[0]?.[1]).toBeCloseTo(0.1, 6);
  });

  it('rejects an epsilon outside (0, 1)', () => {
    expect(() => new PoincareNormalization({ epsilon: 1 })).toThrow('invalid PoincareNormalization config: epsilon');
  });

  it('is usable by name from a JSON spec and survives a save/load round trip', async () => {
    const { model } = buildModel(
      {
        kind: 'sequential',
        layers: [
          { type: 'Input', config: { shape: [3] } },
          { type: 'Dense', config: { units: 4, kernelInitializer: 'ones', biasInitializer: 'ones' } },
          { type: 'PoincareNormalization', name: 'ball', config: { epsilon: 0.01 } },
        ],
      },
      { features: [], numClasses: 0 },
    );
    const x = tf.tensor2d([
      [1, 2, 3],
      [0, 0, -0.99],
    ]);
    const before = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    // Row 1: Dense gives (7, 7, 7, 7), norm 14 → radius 0.99. Row 2: (0.01, …), norm 0.02 → unchanged.
    expect(before[0]?.[0]).toBeCloseTo(0.495, 6);
    expect(before[1]?.[0]).toBeCloseTo(0.01, 6);

    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(JSON.stringify(saved?.modelTopology)).toContain('"class_name":"PoincareNormalization"');

    const loaded = await loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    const restored = loaded.getLayer('ball');
    expect(restored).toBeInstanceOf(PoincareNormalization);
    expect((restored as PoincareNormalization).epsilon).toBe(0.01);
    expect((loaded.predict(x) as tf.Tensor).arraySync()).toEqual(before);
  });
});
