import {
  createKllSketch,
  kllRankErrorBound,
  quantileOfView,
  type KllSketch,
  type KllSortedView,
} from './kll-sketch';
import type { THistogramBucket, TNumericStatistics, TQuantile } from './types';

/** Ranks reported in `quantiles`. */
export const REPORTED_QUANTILE_RANKS = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1] as const;

export type NumericAccumulatorOptions = {
  sketchK: number;
  seed: number;
  numHistogramBuckets: number;
  numQuantileHistogramBuckets: number;
};

export type NumericAccumulator = {
  readonly kind: 'number';
  /** Adds a column's values; returns how many were present (not NaN). */
  add(values: Float64Array): number;
  merge(other: NumericAccumulator): void;
  finish(): TNumericStatistics;
  /** Internal state, for merge. */
  readonly state: NumericState;
};

export type NumericState = {
  /** Finite values. */
  finite: number;
  mean: number;
  /** Sum of squared deviations from the mean (Welford's M2). */
  m2: number;
  min: number;
  max: number;
  zeros: number;
  positiveInfinities: number;
  negativeInfinities: number;
  sketch: KllSketch;
};

/**
 * Streaming moments, extremes and a quantile sketch of one number column.
 *
 * Moments are combined per batch with Chan et al.'s parallel update: a batch's mean and M2
 * come from two passes over its (already in cache) values, which is as stable as Welford's
 * per-value update and cheaper.
 * @see Chan, Golub, LeVeque, "Algorithms for computing the sample variance", 1983.
 */
export function createNumericAccumulator(options: NumericAccumulatorOptions): NumericAccumulator {
  const state: NumericState = {
    finite: 0,
    mean: 0,
    m2: 0,
    min: Number.POSITIVE_INFINITY,
    max: Number.NEGATIVE_INFINITY,
    zeros: 0,
    positiveInfinities: 0,
    negativeInfinities: 0,
    sketch: createKllSketch({ k: options.sketchK, seed: options.seed }),
  };
  let scratch = new Float64Array(0);

  return {
    kind: 'number',
    state,
    add(values) {
      // Finite values are gathered into a scratch array: the second moment pass and the
      // sketch then read a dense array with no NaN or infinity checks.
      if (scratch.length < values.length) scratch = new Float64Array(values.length);
      const finiteValues = scratch;
      let present = 0;
      let finite = 0;
      let sum = 0;
      let min = state.min;
      let max = state.max;
      let zeros = 0;
      for (let i = 0; i < values.length; i++) {
        const x = values[i]!;
        if (x !== x) continue;
        present++;
        if (x === Number.POSITIVE_INFINITY) state.positiveInfinities++;
        else if (x === Number.NEGATIVE_INFINITY) state.negativeInfinities++;
        else {
          finiteValues[finite++] = x;
          sum += x;
          if (x < min) min = x;
          if (x > max) max = x;
          if (x === 0) zeros++;
        }
      }
      state.min = min;
      state.max = max;
      state.zeros += zeros;
      if (finite > 0) {
        const batchMean = sum / finite;
        let batchM2 = 0;
        for (let i = 0; i < finite; i++) {
          const d = finiteValues[i]! - batchMean;
          batchM2 += d * d;
        }
        combineMoments(state, finite, batchMean, batchM2);
        state.sketch.updateMany(finiteValues, 0, finite);
      }
      return present;
    },
    merge(other) {
      const theirs = other.state;
      if (theirs.finite > 0) combineMoments(state, theirs.finite, theirs.mean, theirs.m2);
      state.min = Math.min(state.min, theirs.min);
      state.max = Math.max(state.max, theirs.max);
      state.zeros += theirs.zeros;
      state.positiveInfinities += theirs.positiveInfinities;
      state.negativeInfinities += theirs.negativeInfinities;
      state.sketch.merge(theirs.sketch);
    },
    finish: () => finishNumeric(state, options),
  };
}

function combineMoments(state: NumericState, count: number, mean: number, m2: number): void {
  const total = state.finite + count;
  const delta = mean - state.mean;
  state.mean += (delta * count) / total;
  state.m2 += m2 + (delta * delta * state.finite * count) / total;
  state.finite = total;
}

function finishNumeric(state: NumericState, options: NumericAccumulatorOptions): TNumericStatistics {
  const counts = {
    zeros: state.zeros,
    positiveInfinities: state.positiveInfinities,
    negativeInfinities: state.negativeInfinities,
  };
  if (state.finite === 0) {
    return {
      min: null,
      max: null,
      mean: null,
      std: null,
      median: null,
      ...counts,
      quantiles: [],
      quantileRankError: 0,
      histogram: [],
      quantileHistogram: [],
    };
  }
  const view = state.sketch.sortedView();
  const isExact = state.sketch.retainedCount() === state.finite;
  const quantileAt = (rank: number): number =>
    rank <= 0 ? state.min : rank >= 1 ? state.max : quantileOfView(view, rank);
  const quantiles: TQuantile[] = REPORTED_QUANTILE_RANKS.map((rank) => ({ rank, value: quantileAt(rank) }));
  return {
    min: state.min,
    max: state.max,
    mean: state.mean,
    std: Math.sqrt(state.m2 / state.finite),
    median: quantileAt(0.5),
    ...counts,
    quantiles,
    quantileRankError: isExact ? 0 : kllRankErrorBound(state.sketch.k),
    histogram: equalWidthHistogram(view, state.min, state.max, options.numHistogramBuckets),
    quantileHistogram: quantileHistogram(quantileAt, state.finite, options.numQuantileHistogramBuckets),
  };
}

/**
 * Equal-width buckets over [min, max] filled with the sketch's weighted items, as TFDV builds
 * its standard histogram from the quantiles sketch. Exact while the sketch holds every value.
 */
function equalWidthHistogram(
  view: KllSortedView,
  min: number,
  max: number,
  buckets: number,
): THistogramBucket[] {
  if (min === max) return [{ low: min, high: max, count: view.count }];
  const width = (max - min) / buckets;
  const counts = new Float64Array(buckets);
  let previous = 0;
  for (let i = 0; i < view.values.length; i++) {
    const cumulative = view.cumulativeWeights[i]!;
    const index = Math.min(buckets - 1, Math.max(0, Math.floor((view.values[i]! - min) / width)));
    counts[index]! += cumulative - previous;
    previous = cumulative;
  }
  return Array.from(counts, (count, i) => ({
    low: min + i * width,
    high: i === buckets - 1 ? max : min + (i + 1) * width,
    count,
  }));
}

function quantileHistogram(
  quantileAt: (rank: number) => number,
  count: number,
  buckets: number,
): THistogramBucket[] {
  const result: THistogramBucket[] = [];
  for (let i = 0; i < buckets; i++) {
    result.push({ low: quantileAt(i / buckets), high: quantileAt((i + 1) / buckets), count: count / buckets });
  }
  return result;
}
