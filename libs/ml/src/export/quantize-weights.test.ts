import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { affineQuantize, quantizeWeights } from './quantize-weights';
import { useCpuBackend } from './testing/tiny-models';
import { weightSizeBytes } from './weights-manifest';

function seededValues(count: number, lo: number, hi: number, seed = 3): Float32Array {
  const out = new Float32Array(count);
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    out[i] = lo + (s / 2 ** 31) * (hi - lo);
  }
  return out;
}

/** Decodes with TF.js's io.decodeWeights: what loadLayersModel does with our shards. */
function decodeAll(specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer): Record<string, Float32Array | Int32Array> {
  const tensors = tf.io.decodeWeights(data, specs);
  const out: Record<string, Float32Array | Int32Array> = {};
  for (const [name, t] of Object.entries(tensors)) {
    out[name] = t.dataSync() as Float32Array | Int32Array;
    t.dispose();
  }
  return out;
}

async function encode(tensors: Record<string, tf.Tensor>, group?: tf.io.WeightGroup) {
  const { data, specs } = await tf.io.encodeWeights(tensors, group);
  return { data, specs };
}

describe('weight quantization', () => {
  beforeAll(useCpuBackend);

  for (const dtype of ['uint8', 'uint16'] as const) {
    it(`${dtype}: every value decodes within scale/2, and 0 stays exactly 0`, async () => {
      const values = seededValues(2000, -0.7, 1.3);
      values[17] = 0;
      values[0] = -0.7;
      values[1] = 1.3;
      const { data, specs } = await encode({ kernel: tf.tensor1d(values) });
      const q = quantizeWeights(specs, data, dtype);
      const quantization = q.specs[0]?.quantization;
      expect(quantization?.dtype).toBe(dtype);
      const scale = quantization?.scale as number;
      expect(scale).toBe(((values[1] as number) - (values[0] as number)) / (dtype === 'uint8' ? 255 : 65535));
      const decoded = decodeAll(q.specs, q.data).kernel as Float32Array;
      let worst = 0;
      values.forEach((v, i) => {
        const error = Math.abs((decoded[i] as number) - v);
        // scale/2 from rounding to the grid; the rest is float32 rounding of the decoded value.
        expect(error).toBeLessThanOrEqual(scale / 2 + Math.abs(v) * 2 ** -23);
        worst = Math.max(worst, error);
      });
      // The bound is tight: some value lands near the middle of a step.
      expect(worst).toBeGreaterThan(scale * 0.4);
      expect(decoded[17]).toBe(0);
      expect(q.data.byteLength).toBe(values.length * (dtype === 'uint8' ? 1 : 2));
    });
  }

  it('does not nudge a range that excludes 0, and stores a constant tensor exactly', async () => {
    const positive = seededValues(100, 2, 5);
    const constant = new Float32Array(10).fill(-1.25);
    const { data, specs } = await encode({ positive: tf.tensor1d(positive), constant: tf.tensor1d(constant) });
    const q = quantizeWeights(specs, data, 'uint8');
    expect(q.specs[0]?.quantization?.min).toBe(Math.min(...positive));
    expect(q.specs[1]?.quantization).toEqual({ dtype: 'uint8', scale: 1, min: -1.25 });
    const decoded = decodeAll(q.specs, q.data);
    expect(Array.from(decoded.constant as Float32Array)).toEqual(Array.from(constant));
    expect(Math.max(...(decoded.positive as Float32Array))).toBeCloseTo(Math.max(...positive), 5);
  });

  it('float16: relative error within half a unit in the last place (2^-11)', async () => {
    const values = seededValues(1000, -40, 40);
    const { data, specs } = await encode({ w: tf.tensor1d(values) });
    const q = quantizeWeights(specs, data, 'float16');
    expect(q.specs[0]?.quantization).toEqual({ dtype: 'float16' });
    const decoded = decodeAll(q.specs, q.data).w as Float32Array;
    values.forEach((v, i) => expect(Math.abs((decoded[i] as number) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11));
  });

  it('leaves int32 weights and optimizer slots byte for byte, and decodes a mixed buffer in order', async () => {
    const ints = tf.tensor1d([3, -7, 2 ** 30], 'int32');
    const model = await encode({ a: tf.tensor1d(seededValues(5, -1, 1)), steps: ints, b: tf.tensor2d(seededValues(6, 0, 1), [2, 3]) });
    const optimizer = await encode({ 'a/m': tf.tensor1d(seededValues(5, -1e-3, 1e-3)) }, 'optimizer');
    const specs = [...model.specs, ...optimizer.specs];
    const data = tf.io.concatenateArrayBuffers([model.data, optimizer.data]);
    const q = quantizeWeights(specs, data, 'uint8');
    expect(q.specs.map((s) => s.quantization?.dtype ?? 'none')).toEqual(['uint8', 'none', 'uint8', 'none']);
    const decoded = decodeAll(q.specs, q.data);
    expect(Array.from(decoded.steps as Int32Array)).toEqual([3, -7, 2 ** 30]);
    const original = decodeAll(specs, data);
    expect(Array.from(decoded['a/m'] as Float32Array)).toEqual(Array.from(original['a/m'] as Float32Array));
    // 5 + 6 floats as 1 byte each, 3 ints and 5 optimizer floats as 4 bytes each.
    expect(q.data.byteLength).toBe(11 + 12 + 20);
    expect(weightSizeBytes([{ paths: [], weights: q.specs }])).toBe(43);
    expect(weightSizeBytes([{ paths: [], weights: q.specs }], { group: 'model' })).toBe(23);
    expect(weightSizeBytes([{ paths: [], weights: specs }], { group: 'model' })).toBe(56);
    expect(weightSizeBytes([{ paths: [], weights: q.specs }], { group: 'model', unquantized: true })).toBe(56);
  });

  it('refuses NaN or Infinity with the weight name', () => {
    const values = new Float32Array([0.5, Number.NaN, 1]);
    expect(() => affineQuantize(values, 'uint8', 'dense/kernel')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/dense\/kernel.*expected finite values; received NaN/) }),
    );
  });
});
