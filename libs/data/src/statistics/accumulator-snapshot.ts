import { PipelineError } from '@tsfx/shared';
import type { Column } from '../batch';
import { createStatisticsAccumulator, type StatisticsAccumulator, type StatisticsOptions } from './accumulator';
import { createHyperLogLog } from './hyperloglog';
import type { TImageShape } from './types';
import type { NumericState } from './numeric-accumulator';

/**
 * Everything a statistics accumulator has seen, as plain data (numbers, strings, arrays, typed
 * arrays): it survives `postMessage` (structured clone) and JSON-like storage, which the
 * accumulator itself, made of closures, does not. Partial statistics computed in worker threads
 * travel to the main thread as snapshots and are merged there.
 */
export type StatisticsSnapshot = {
  numExamples: number;
  batches: number;
  /** In order of first appearance, as the accumulator keeps them. */
  features: FeatureSnapshot[];
  label: LabelSnapshot | null;
};

export type FeatureSnapshot = { name: string; count: number } & (
  | { kind: 'number'; numeric: NumericSnapshot }
  | { kind: 'string'; string: StringSnapshot }
  | { kind: 'image'; image: ImageSnapshot }
);

/** NumericState with its KLL sketch as plain data: stream length and retained items per level (level h items weigh 2^h). */
type NumericSnapshot = Omit<NumericState, 'sketch'> & { sketchCount: number; sketchLevels: Float64Array[] };

type StringSnapshot = {
  present: number;
  lengthSum: number;
  /** Tracked values and their counts (frequent-items sketch). */
  values: string[];
  counts: Float64Array;
  total: number;
  maxError: number;
  isExact: boolean;
  /** HyperLogLog registers, once counts stopped being exact. */
  hll: { precision: number; registers: Uint8Array } | null;
};

type ImageSnapshot = {
  shapes: { shape: TImageShape; count: number }[];
  sums: number[];
  squareSums: number[];
  pixelCounts: number[];
};

type LabelSnapshot = { counts: Float64Array; unknown: number; missing: number };

/** A snapshot of what `accumulator` has seen so far (it keeps accumulating). */
export function snapshotStatistics(accumulator: StatisticsAccumulator): StatisticsSnapshot {
  const { state } = accumulator;
  const features = [...state.features.values()].map((feature): FeatureSnapshot => {
    const base = { name: feature.name, count: feature.count };
    switch (feature.kind) {
      case 'number': {
        const { sketch, ...moments } = feature.state;
        return { ...base, kind: 'number', numeric: { ...moments, sketchCount: sketch.count(), sketchLevels: sketch.levels() } };
      }
      case 'string': {
        const { present, lengthSum, frequent, hll } = feature.state;
        const values: string[] = [];
        const counts: number[] = [];
        for (const [value, count] of frequent.entries()) {
          values.push(value);
          counts.push(count);
        }
        return {
          ...base,
          kind: 'string',
          string: {
            present,
            lengthSum,
            values,
            counts: Float64Array.from(counts),
            total: frequent.total(),
            maxError: frequent.maxError(),
            isExact: frequent.isExact(),
            hll: hll ? { precision: hll.precision, registers: hll.registers() } : null,
          },
        };
      }
      case 'image': {
        const { shapes, sums, squareSums, pixelCounts } = feature.state;
        return {
          ...base,
          kind: 'image',
          image: {
            shapes: [...shapes.values()].map(({ shape, count }) => ({ shape: [...shape], count })),
            sums: [...sums],
            squareSums: [...squareSums],
            pixelCounts: [...pixelCounts],
          },
        };
      }
    }
  });
  const label = state.label
    ? { counts: state.label.state.counts.slice(), unknown: state.label.state.unknown, missing: state.label.state.missing }
    : null;
  return { numExamples: state.numExamples, batches: state.batches, features, label };
}

/**
 * An accumulator holding what a snapshot describes, created with `options` (those the
 * snapshotted accumulator was created with). Counts, moments, extremes, value counts and
 * HyperLogLog registers come back exactly; the quantile sketch's items are merged into a fresh
 * sketch, which stays within its rank-error bound.
 */
export function restoreStatistics(snapshot: StatisticsSnapshot, options: StatisticsOptions = {}): StatisticsAccumulator {
  const accumulator = createStatisticsAccumulator(options);
  // An empty batch with every column creates each feature with the options' settings, in order.
  accumulator.add({ length: 0, columns: snapshot.features.map(emptyColumn) });
  const { state } = accumulator;
  for (const saved of snapshot.features) {
    const feature = state.features.get(saved.name)!;
    feature.count = saved.count;
    if (feature.kind === 'number' && saved.kind === 'number') {
      const { sketchCount, sketchLevels, ...moments } = saved.numeric;
      Object.assign(feature.state, moments);
      feature.state.sketch.merge({ count: () => sketchCount, levels: () => sketchLevels });
    } else if (feature.kind === 'string' && saved.kind === 'string') {
      const saved_ = saved.string;
      feature.state.present = saved_.present;
      feature.state.lengthSum = saved_.lengthSum;
      feature.state.frequent.merge({
        *entries() {
          for (let i = 0; i < saved_.values.length; i++) yield [saved_.values[i]!, saved_.counts[i]!] as [string, number];
        },
        total: () => saved_.total,
        maxError: () => saved_.maxError,
        isExact: () => saved_.isExact,
      });
      if (saved_.hll) {
        const hll = createHyperLogLog(saved_.hll.precision);
        const registers = saved_.hll.registers;
        hll.merge({ precision: saved_.hll.precision, registers: () => registers });
        feature.state.hll = hll;
      }
    } else if (feature.kind === 'image' && saved.kind === 'image') {
      const { shapes, sums, squareSums, pixelCounts } = saved.image;
      for (const { shape, count } of shapes) feature.state.shapes.set(shape.join('x'), { shape: [...shape], count });
      feature.state.sums = [...sums];
      feature.state.squareSums = [...squareSums];
      feature.state.pixelCounts = [...pixelCounts];
    }
  }
  if (snapshot.label) {
    if (!state.label) {
      throw new PipelineError('INVALID_INPUT', 'statistics snapshot has label counts but no label option was given', {
        expected: 'the options the snapshotted accumulator was created with',
        received: 'options without a label',
      });
    }
    state.label.state.counts.set(snapshot.label.counts);
    state.label.state.unknown = snapshot.label.unknown;
    state.label.state.missing = snapshot.label.missing;
  }
  state.numExamples = snapshot.numExamples;
  state.batches = snapshot.batches;
  return accumulator;
}

function emptyColumn(feature: FeatureSnapshot): Column {
  switch (feature.kind) {
    case 'number':
      return { kind: 'number', name: feature.name, values: new Float64Array(0) };
    case 'string':
      return { kind: 'string', name: feature.name, values: [] };
    case 'image':
      return { kind: 'image', name: feature.name, shape: [1, 1, 1], data: new Uint8Array(0) };
  }
}
