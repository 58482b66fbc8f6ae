import { isPipelineError } from '@tsfx/shared';
import { describe, expect, it } from 'vitest';
import { computeHistogram, DEFAULT_HISTOGRAM_BUCKETS } from './histogram-buckets';

describe('computeHistogram', () => {
  it('computes the statistics TensorBoard shows', () => {
    const h = computeHistogram('w', [1, 2, 3, 4]);
    expect(h).toMatchObject({ min: 1, max: 4, num: 4, sum: 10, sumSquares: 30 });
  });

  it('uses 30 equal-width buckets whose last limit is max', () => {
    const values = Array.from({ length: 300 }, (_, i) => i / 299);
    const h = computeHistogram('w', values);
    expect(h.bucketLimits).toHaveLength(DEFAULT_HISTOGRAM_BUCKETS);
    expect(h.bucketCounts).toHaveLength(DEFAULT_HISTOGRAM_BUCKETS);
    expect(h.bucketLimits.at(-1)).toBe(1);
    expect(h.bucketLimits[0]).toBeCloseTo(1 / 30, 12);
    expect(h.bucketCounts.reduce((a, b) => a + b, 0)).toBe(300);
    // Evenly spread values give (nearly) even buckets.
    for (const count of h.bucketCounts) expect(count).toBeGreaterThanOrEqual(9);
  });

  it('counts every value in the bucket its limits say, edges to the right, max in the last bucket', () => {
    const h = computeHistogram('w', [0, 1, 1, 2, 3, 4], 4);
    expect(h.bucketLimits).toEqual([1, 2, 3, 4]);
    // [0,1) → 0; [1,2) → 1,1; [2,3) → 2; [3,4] → 3,4
    expect(h.bucketCounts).toEqual([1, 2, 1, 2]);
    const lefts = [h.min, ...h.bucketLimits.slice(0, -1)];
    const values = [0, 1, 1, 2, 3, 4];
    h.bucketCounts.forEach((count, i) => {
      const inBucket = values.filter((v) => v >= (lefts[i] as number) && (i === 3 ? v <= h.max : v < (h.bucketLimits[i] as number)));
      expect(inBucket).toHaveLength(count);
    });
  });

  it('agrees with its own limits for values on the edges, where the division rounds', () => {
    for (const [min, max] of [[0.1, 0.7], [-3.3, 0.001], [0, 3], [1e-7, 2e-7]] as const) {
      const limits = computeHistogram('w', [min, max]).bucketLimits;
      // Every edge value, and the values right around it, plus min and max.
      const values = [min, max, ...limits.flatMap((l) => [l, l - Math.abs(l) * 1e-15, l + Math.abs(l) * 1e-15])].filter((v) => v >= min && v <= max);
      const h = computeHistogram('w', values);
      expect(h.bucketLimits).toEqual(limits);
      const lefts = [h.min, ...h.bucketLimits.slice(0, -1)];
      const expected = h.bucketLimits.map(
        (right, i) => values.filter((v) => v >= (lefts[i] as number) && (i === h.bucketLimits.length - 1 ? v <= right : v < right)).length,
      );
      expect(h.bucketCounts).toEqual(expected);
    }
  });

  it('puts equal values in one bucket', () => {
    const h = computeHistogram('w', [5, 5, 5]);
    expect(h).toMatchObject({ min: 5, max: 5, num: 3, bucketLimits: [5], bucketCounts: [3] });
  });

  it('refuses what has no bucket: no values, NaN, Infinity', () => {
    for (const values of [[], [1, NaN], [Infinity]]) {
      let error: unknown;
      try {
        computeHistogram('dense/kernel', values);
      } catch (caught) {
        error = caught;
      }
      expect(isPipelineError(error) && error.code === 'INVALID_INPUT' && error.message.includes('dense/kernel')).toBe(true);
    }
  });
});
