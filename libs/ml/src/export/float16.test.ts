import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { float32ArrayToFloat16, float32ToFloat16Bits } from './float16';
import { useCpuBackend } from './testing/tiny-models';

/** Decodes binary16 bit patterns with TF.js's own decoder, the one a loaded model goes through. */
function decodeWithTfjs(bits: Uint16Array): Float32Array {
  const spec: tf.io.WeightsManifestEntry = { name: 'w', shape: [bits.length], dtype: 'float32', quantization: { dtype: 'float16' } };
  const buffer = bits.buffer.slice(bits.byteOffset, bits.byteOffset + bits.byteLength) as ArrayBuffer;
  const decoded = tf.io.decodeWeights(buffer, [spec]).w as tf.Tensor;
  const values = decoded.dataSync() as Float32Array;
  decoded.dispose();
  return values;
}

describe('float32 → float16', () => {
  beforeAll(useCpuBackend);

  it('maps every finite and infinite half value back to its own bit pattern (TF.js decoder round trip)', () => {
    const all = new Uint16Array(65536);
    for (let i = 0; i < all.length; i++) all[i] = i;
    const decoded = decodeWithTfjs(all);
    const reencoded = float32ArrayToFloat16(decoded);
    let mismatches = 0;
    for (let i = 0; i < all.length; i++) {
      const isNaN = (i & 0x7c00) === 0x7c00 && (i & 0x3ff) !== 0;
      if (isNaN) {
        expect(Number.isNaN(decoded[i])).toBe(true);
        expect(Number.isNaN(decodeWithTfjs(new Uint16Array([reencoded[i] as number]))[0])).toBe(true);
      } else if (reencoded[i] !== i) {
        mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('rounds a value exactly halfway between two halves to the even one, and others to the nearest', () => {
    const decodeOne = (bits: number) => decodeWithTfjs(new Uint16Array([bits]))[0] as number;
    // Normal, subnormal and around the normal/subnormal boundary; odd and even lower neighbours.
    for (const lower of [0x3c00, 0x3c01, 0x0001, 0x0002, 0x03ff, 0x0400, 0x7bfe, 0xbc01]) {
      const a = decodeOne(lower);
      const b = decodeOne(lower + 1);
      const mid = (a + b) / 2;
      const even = lower % 2 === 0 ? lower : lower + 1;
      expect(float32ToFloat16Bits(mid), `midpoint after 0x${lower.toString(16)}`).toBe(even);
      expect(float32ToFloat16Bits(a + (b - a) * 0.49)).toBe(lower);
      expect(float32ToFloat16Bits(a + (b - a) * 0.51)).toBe(lower + 1);
    }
  });

  it('handles the edges: overflow to Infinity, underflow to signed zero, NaN, ±0', () => {
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff); // largest half
    expect(float32ToFloat16Bits(65519)).toBe(0x7bff);
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // halfway to 2^16 ties to even: Infinity
    expect(float32ToFloat16Bits(1e9)).toBe(0x7c00);
    expect(float32ToFloat16Bits(-Infinity)).toBe(0xfc00);
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0x0000); // halfway to it ties to even: zero
    expect(float32ToFloat16Bits(2 ** -25 * 1.01)).toBe(0x0001);
    expect(float32ToFloat16Bits(-1e-12)).toBe(0x8000);
    expect(float32ToFloat16Bits(0)).toBe(0x0000);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    const nan = float32ToFloat16Bits(NaN);
    expect(nan & 0x7c00).toBe(0x7c00);
    expect(nan & 0x3ff).not.toBe(0);
  });

  it('stays within half a unit in the last place for random values', () => {
    const values = new Float32Array(5000);
    let seed = 12345;
    for (let i = 0; i < values.length; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      values[i] = ((seed / 2 ** 31) * 2 - 1) * 1000;
    }
    const decoded = decodeWithTfjs(float32ArrayToFloat16(values));
    values.forEach((v, i) => {
      // Half precision: 10 explicit mantissa bits, so half an ulp is 2^-11 of the value's binade.
      const halfUlp = 2 ** (Math.floor(Math.log2(Math.abs(v))) - 11);
      expect(Math.abs((decoded[i] as number) - v)).toBeLessThanOrEqual(halfUlp);
    });
  });
});
