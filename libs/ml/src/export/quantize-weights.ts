/**
 * Post-training weight quantization in the encoding TF.js's `io.decodeWeights` (tfjs-core 4.22)
 * reads back: per tensor, `quantization: { dtype: 'uint8' | 'uint16', scale, min }` (value ≈
 * q·scale + min) or `{ dtype: 'float16' }` (IEEE half). The affine scheme is tfjs-converter's
 * `quantize_weights`: min/max of the tensor, range nudged so that 0.0 is exactly representable
 * when the range covers it (zero padding and ReLU zeros stay exact), round half to even.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { PipelineError } from '@tsfx/shared';
import { float32ArrayToFloat16 } from './float16';
import { weightEntryByteLength } from './weights-manifest';

export type TWeightQuantization = 'float16' | 'uint8' | 'uint16';
export type TAffineQuantization = Extract<TWeightQuantization, 'uint8' | 'uint16'>;

const QUANT_MAX: Record<TAffineQuantization, number> = { uint8: 255, uint16: 65535 };

export type AffineQuantized = {
  values: Uint8Array | Uint16Array;
  /** Dequantize with `q * scale + min` (what `io.decodeWeights` does). */
  scale: number;
  min: number;
};

/** numpy's `np.round`: half to even, so that our bytes match tfjs-converter's for the same tensor. */
function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * Affine-quantizes one tensor's values. The error of each dequantized value is at most scale/2
 * (plus float32 rounding of the result): values are rounded to the nearest step, and the
 * nudge moves the range ends by at most half a step.
 */
export function affineQuantize(values: Float32Array, dtype: TAffineQuantization, weightName = 'weight'): AffineQuantized {
  const quantMax = QUANT_MAX[dtype];
  const out = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      throw new PipelineError('INVALID_INPUT', `weight '${weightName}' cannot be ${dtype}-quantized`, {
        expected: 'finite values',
        received: String(v),
      });
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // Empty or constant tensor: every value is `min` exactly (tfjs-converter's convention, scale 1).
  if (values.length === 0) return { values: out, scale: 1, min: 0 };
  if (min === max) return { values: out, scale: 1, min };

  const scale = (max - min) / quantMax;
  let nudgedMin = min;
  let nudgedMax = max;
  if (min <= 0 && max >= 0) {
    const zeroPoint = roundHalfToEven(-min / scale);
    // `0 - …` rather than `-…` so that a zero point of 0 gives +0, not -0, in model.json.
    nudgedMin = 0 - zeroPoint * scale;
    nudgedMax = quantMax * scale + nudgedMin;
  }
  for (let i = 0; i < values.length; i++) {
    const clipped = Math.min(Math.max(values[i] as number, nudgedMin), nudgedMax);
    const q = roundHalfToEven((clipped - nudgedMin) / scale);
    // Float error can land a hair outside [0, quantMax]; the typed array would wrap, so clamp.
    out[i] = Math.min(Math.max(q, 0), quantMax);
  }
  return { values: out, scale, min: nudgedMin };
}

/**
 * Whether a weight is quantized: float32 model weights only. int32/bool stay exact, and so do
 * optimizer slots (group 'optimizer'): quantizing Adam's moments would make "load the
 * checkpoint and continue training" diverge from an uninterrupted run.
 */
export function isQuantizable(spec: tf.io.WeightsManifestEntry): boolean {
  return spec.dtype === 'float32' && spec.group !== 'optimizer' && spec.quantization === undefined;
}

export type QuantizedWeights = { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer };

/**
 * Re-encodes a flat weight buffer (as `io.encodeWeights` lays it out: values of each spec in
 * order) with its float32 model weights quantized to `dtype`, and returns the specs with their
 * `quantization` entries. Everything else is copied byte for byte.
 */
export function quantizeWeights(specs: readonly tf.io.WeightsManifestEntry[], data: ArrayBuffer, dtype: TWeightQuantization): QuantizedWeights {
  const parts: Uint8Array[] = [];
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    const byteLength = weightEntryByteLength(spec, new Uint8Array(data, offset));
    if (offset + byteLength > data.byteLength) {
      throw new PipelineError('INVALID_INPUT', `weight data ends inside weight '${spec.name}'`, {
        expected: `at least ${offset + byteLength} bytes`,
        received: `${data.byteLength} bytes`,
      });
    }
    if (!isQuantizable(spec)) {
      parts.push(new Uint8Array(data, offset, byteLength));
      outSpecs.push({ ...spec });
    } else {
      // slice: Float32Array needs a 4-byte-aligned offset, which a preceding uint8 tensor breaks.
      const values = new Float32Array(data.slice(offset, offset + byteLength));
      if (dtype === 'float16') {
        parts.push(new Uint8Array(float32ArrayToFloat16(values).buffer));
        outSpecs.push({ ...spec, quantization: { dtype: 'float16' } });
      } else {
        const q = affineQuantize(values, dtype, spec.name);
        parts.push(new Uint8Array(q.values.buffer));
        outSpecs.push({ ...spec, quantization: { dtype, scale: q.scale, min: q.min } });
      }
    }
    offset += byteLength;
  }
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return { specs: outSpecs, data: out.buffer };
}
