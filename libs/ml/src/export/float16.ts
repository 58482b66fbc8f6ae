/**
 * float32 → IEEE 754 binary16 conversion, written out because Node 20 has no `Math.f16round`
 * and TF.js ships only the decoder (`io.decodeWeights` reads `quantization: { dtype: 'float16' }`).
 * Rounds to nearest, ties to even, like numpy's `astype(np.float16)` that tfjs-converter uses:
 * overflow becomes ±Infinity, values below half the smallest subnormal become ±0, NaN stays NaN.
 */

const F16_EXPONENT_BIAS = 15;
const F32_EXPONENT_BIAS = 127;
/** Biased float16 exponent of Infinity/NaN. */
const F16_MAX_EXPONENT = 0x1f;
const F16_INFINITY = 0x7c00;
/** Mantissa bits float32 has and float16 lacks (23 − 10). */
const DROPPED_BITS = 13;

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/** `mantissa >> shift`, rounded to nearest with ties to even (the bit pattern's low bit). */
function shiftRoundingToEven(mantissa: number, shift: number): number {
  const kept = mantissa >>> shift;
  const remainder = mantissa & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  return remainder > halfway || (remainder === halfway && (kept & 1) === 1) ? kept + 1 : kept;
}

/** The binary16 bit pattern of `value` (first rounded to float32, as a Float32Array element is). */
export function float32ToFloat16Bits(value: number): number {
  scratchFloat[0] = value;
  const bits = scratchBits[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;

  if (exponent === 0xff) {
    // Keep NaN a NaN: set the quiet bit so a payload that lives only in the dropped bits survives.
    return mantissa === 0 ? sign | F16_INFINITY : sign | F16_INFINITY | 0x200 | (mantissa >>> DROPPED_BITS);
  }
  const halfExponent = exponent - F32_EXPONENT_BIAS + F16_EXPONENT_BIAS;
  if (halfExponent >= F16_MAX_EXPONENT) return sign | F16_INFINITY;
  if (halfExponent <= 0) {
    // Subnormal in float16 (float32 subnormals are far below its range: they round to zero).
    // Values under 2^-25 round to zero; exactly 2^-25 ties to the even pattern, zero, too.
    if (halfExponent < -10) return sign;
    const withImplicitBit = mantissa | 0x800000;
    // A carry out of the subnormal range yields 0x400, the smallest normal: still correct.
    return sign | shiftRoundingToEven(withImplicitBit, DROPPED_BITS + 1 - halfExponent);
  }
  // A carry out of the mantissa bumps the exponent; out of the largest exponent gives Infinity.
  return sign | ((halfExponent << 10) + shiftRoundingToEven(mantissa, DROPPED_BITS));
}

/** Every element of `values` as binary16 bit patterns, ready to write little-endian. */
export function float32ArrayToFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i] as number);
  return out;
}
