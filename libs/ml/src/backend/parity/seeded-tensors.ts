import { createRandom } from '@tsfx/data';

/** A tensor as plain data, so the same values can be made into a tensor on every backend. */
export type TTensorData = {
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  values: Float32Array | Int32Array | Uint8Array;
};

/**
 * Random tensor contents from one seeded stream (mulberry32, no Math.random): a failing parity
 * case fails the same way on every run and every machine.
 */
export class SeededTensors {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = createRandom(seed);
  }

  /** float32 values uniform in [low, high). */
  uniform(shape: number[], low = -1, high = 1): TTensorData {
    const values = new Float32Array(sizeOf(shape));
    for (let i = 0; i < values.length; i++) values[i] = low + (high - low) * this.random();
    return { shape, dtype: 'float32', values };
  }

  /** Whole numbers in [low, high] (inclusive): with a narrow range, pooling windows hold ties. */
  integers(shape: number[], low: number, high: number, dtype: 'float32' | 'int32' = 'float32'): TTensorData {
    const values = dtype === 'int32' ? new Int32Array(sizeOf(shape)) : new Float32Array(sizeOf(shape));
    for (let i = 0; i < values.length; i++) values[i] = low + Math.floor((high - low + 1) * this.random());
    return { shape, dtype, values };
  }

  bools(shape: number[]): TTensorData {
    const values = new Uint8Array(sizeOf(shape));
    for (let i = 0; i < values.length; i++) values[i] = this.random() < 0.5 ? 1 : 0;
    return { shape, dtype: 'bool', values };
  }

  /** One value uniform in [low, high). */
  next(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((size, dim) => size * dim, 1);
}
