import { isPipelineError } from '@tsfx/shared';
import { describe, expect, it } from 'vitest';
import { computeRocAuc } from './roc-auc';
import { pairwiseAuc, randomPredictions } from './testing/fixtures';

describe('computeRocAuc', () => {
  it('matches a hand count, ties counting half a pair', () => {
    // sklearn's docstring example.
    expect(computeRocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    // Positives 0.9, 0.7, 0.3; negatives 0.8, 0.3, 0.1: 3 + 2 + (1 + ½) = 6.5 of 9 pairs.
    expect(computeRocAuc([0.9, 0.8, 0.7, 0.3, 0.3, 0.1], [1, 0, 1, 0, 1, 0])).toBeCloseTo(6.5 / 9, 15);
  });

  it('is 0.5 when every score is the same, 1 and 0 for perfect and reversed rankings', () => {
    expect(computeRocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
    expect(computeRocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(computeRocAuc([0.1, 0.2, 0.8, 0.9], [true, true, false, false])).toBe(0);
  });

  it('agrees with the O(n²) pairwise definition on random data full of ties', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { probabilities, labels } = randomPredictions({ seed, n: 400, k: 2, levels: 3 });
      const scores = Float32Array.from({ length: labels.length }, (_, i) => probabilities[2 * i + 1] as number);
      const distinct = new Set(scores).size;
      expect(distinct).toBeLessThan(10); // ties everywhere
      expect(computeRocAuc(scores, labels)).toBeCloseTo(pairwiseAuc(scores, labels) as number, 12);
    }
  });

  it('is null (undefined) when only one class is present', () => {
    expect(computeRocAuc([0.1, 0.9], [1, 1])).toBeNull();
    expect(computeRocAuc([0.1, 0.9], [0, 0])).toBeNull();
    expect(computeRocAuc([], [])).toBeNull();
  });

  it('refuses labels that do not match the scores', () => {
    expect(() => computeRocAuc([0.1, 0.2], [1])).toThrow(/one label per score/);
    try {
      computeRocAuc([0.1], []);
    } catch (error) {
      expect(isPipelineError(error) && error.code).toBe('INVALID_INPUT');
    }
  });
});
