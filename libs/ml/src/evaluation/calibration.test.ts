import { describe, expect, it } from 'vitest';
import { calibrationBinOf, computeCalibration } from './calibration';

describe('computeCalibration', () => {
  it('bins top-class confidences into (m/M, (m+1)/M] and weighs the gaps by bin size (ECE)', () => {
    const confidences = [0.7, 0.8, 0.5, 0.6, 0.8, 0.5];
    const correct = [1, 1, 0, 0, 1, 1];
    const { bins, ece } = computeCalibration(confidences, correct, 10);
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([0, 0, 0, 0, 2, 1, 1, 2, 0, 0]);
    expect(bins[4]).toMatchObject({ lower: 0.4, upper: 0.5, meanConfidence: 0.5, accuracy: 0.5 });
    expect(bins[5]).toMatchObject({ meanConfidence: 0.6, accuracy: 0 });
    expect(bins[0]).toMatchObject({ count: 0, meanConfidence: null, accuracy: null });
    // |0.5 − 0.5|·2/6 + |0 − 0.6|·1/6 + |1 − 0.7|·1/6 + |1 − 0.8|·2/6
    expect(ece).toBeCloseTo(0.6 / 6 + 0.3 / 6 + 0.4 / 6, 12);
  });

  it('puts a confidence on an edge in the bin it closes, despite floating-point products', () => {
    expect((7 / 25) * 25).toBeGreaterThan(7); // why ceil(c·M) − 1 alone is wrong
    expect(calibrationBinOf(7 / 25, 25)).toBe(6);
    expect(calibrationBinOf(0.3, 10)).toBe(2);
    expect(calibrationBinOf(0.7, 10)).toBe(6);
    expect(calibrationBinOf(1, 10)).toBe(9);
    expect(calibrationBinOf(0, 10)).toBe(0);
    expect(calibrationBinOf(0.30000001, 10)).toBe(3);
    for (let numBins = 2; numBins <= 50; numBins++) {
      for (let m = 1; m <= numBins; m++) expect(calibrationBinOf(m / numBins, numBins)).toBe(m - 1);
    }
  });

  it('is perfectly calibrated when accuracy matches confidence in every bin', () => {
    const { ece } = computeCalibration([0.75, 0.75, 0.75, 0.75], [1, 1, 1, 0], 4);
    expect(ece).toBe(0);
  });

  it('refuses mismatched inputs and a bad bin count', () => {
    expect(() => computeCalibration([0.5], [], 10)).toThrow(/one outcome per confidence/);
    expect(() => computeCalibration([0.5], [1], 0)).toThrow(/bin count/);
  });
});
