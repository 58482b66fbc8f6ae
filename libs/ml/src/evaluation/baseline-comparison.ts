import { type TBaselineComparison, type TEvaluation, type TMetricDiff, type TSliceMetrics } from './schemas';

/** Overall first, then the other slices in their order. */
export function allSlices(evaluation: TEvaluation): TSliceMetrics[] {
  return [evaluation.overall, ...evaluation.slices];
}

/**
 * TFMA's diff metric: `candidate − baseline`, and the "relative" change `(candidate − baseline) / baseline`
 * (not `candidate / baseline` as TFMA's docs say). TFMA makes the ratio NaN when the baseline is
 * exactly 0 (`math.isclose(b, 0.0)` with default tolerances); JSON has no NaN, so it is null here.
 */
export function metricDiff(candidate: number | undefined, baseline: number | undefined): TMetricDiff {
  if (candidate === undefined || baseline === undefined) {
    return { candidate: candidate ?? null, baseline: baseline ?? null, diff: null, relativeDiff: null };
  }
  const diff = candidate - baseline;
  return { candidate, baseline, diff, relativeDiff: baseline === 0 ? null : diff / baseline };
}

/**
 * Per slice and metric, candidate − baseline, for evaluation.json. Both models are meant to be
 * evaluated on the same examples (TFX evaluates them side by side), so slices are matched by key.
 */
export function compareWithBaseline(candidate: TEvaluation, baseline: TEvaluation): TBaselineComparison {
  const baselineSlices = new Map(allSlices(baseline).map((s) => [s.key, s]));
  const candidateKeys = new Set(allSlices(candidate).map((s) => s.key));
  return {
    baselineModel: baseline.model,
    baselineExampleCount: baseline.exampleCount,
    slices: allSlices(candidate).map((slice) => {
      const other = baselineSlices.get(slice.key);
      const names = [...new Set([...Object.keys(slice.metrics.metrics), ...Object.keys(other?.metrics.metrics ?? {})])];
      return {
        key: slice.key,
        inBaseline: other !== undefined,
        metrics: Object.fromEntries(names.map((name) => [name, metricDiff(slice.metrics.metrics[name], other?.metrics.metrics[name])])),
      };
    }),
    baselineOnlySlices: [...baselineSlices.keys()].filter((key) => !candidateKeys.has(key)),
  };
}
