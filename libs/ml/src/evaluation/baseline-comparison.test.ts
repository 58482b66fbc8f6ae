import { describe, expect, it } from 'vitest';
import { compareWithBaseline, metricDiff } from './baseline-comparison';
import { ZEvaluation } from './schemas';
import { evaluationWithMetrics } from './testing/fixtures';

describe('metricDiff', () => {
  it('is candidate − baseline and (candidate − baseline)/baseline', () => {
    expect(metricDiff(0.625, 0.5)).toEqual({ candidate: 0.625, baseline: 0.5, diff: 0.125, relativeDiff: 0.25 });
  });

  it('has no relative change when the baseline is 0, and no change when either side is missing', () => {
    expect(metricDiff(0.5, 0)).toEqual({ candidate: 0.5, baseline: 0, diff: 0.5, relativeDiff: null });
    expect(metricDiff(undefined, 0.5)).toEqual({ candidate: null, baseline: 0.5, diff: null, relativeDiff: null });
    expect(metricDiff(0.5, undefined)).toEqual({ candidate: 0.5, baseline: null, diff: null, relativeDiff: null });
  });
});

describe('compareWithBaseline', () => {
  it('diffs every metric of every slice, and records the baseline model', () => {
    const candidate = evaluationWithMetrics({ '*': { accuracy: 0.75, loss: 0.5 }, 'island:Dream': { accuracy: 0.5 } });
    const baseline = evaluationWithMetrics({ '*': { accuracy: 0.5, loss: 0.25, ece: 0.125 } }, { modelId: 'model-3', servingVersion: 2 });
    baseline.slices = baseline.slices.filter((s) => s.key !== 'year:2008');
    candidate.slices = candidate.slices.filter((s) => s.key !== 'species:Gentoo');
    const comparison = compareWithBaseline(candidate, baseline);

    expect(comparison.baselineModel).toEqual({ id: 'model-3', servingVersion: 2 });
    expect(comparison.baselineExampleCount).toBe(4);
    expect(comparison.slices.map((s) => [s.key, s.inBaseline])).toEqual([
      ['Overall', true],
      ['island:Biscoe', true],
      ['island:Dream', true],
      ['year:2008', false],
      ['species:Adelie', true],
    ]);
    expect(comparison.baselineOnlySlices).toEqual(['species:Gentoo']);
    expect(comparison.slices[0]?.metrics).toEqual({
      accuracy: { candidate: 0.75, baseline: 0.5, diff: 0.25, relativeDiff: 0.5 },
      loss: { candidate: 0.5, baseline: 0.25, diff: 0.25, relativeDiff: 1 },
      ece: { candidate: null, baseline: 0.125, diff: null, relativeDiff: null },
    });
    expect(comparison.slices[2]?.metrics['loss']).toEqual({ candidate: null, baseline: 0.25, diff: null, relativeDiff: null });
    expect(comparison.slices[3]?.metrics['accuracy']).toEqual({ candidate: 0.75, baseline: null, diff: null, relativeDiff: null });

    // evaluation.json carries it.
    const withComparison = { ...candidate, baselineComparison: comparison };
    expect(ZEvaluation.parse(JSON.parse(JSON.stringify(withComparison)))).toEqual(withComparison);
  });
});
