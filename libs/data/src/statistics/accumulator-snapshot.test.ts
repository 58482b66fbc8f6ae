import { describe, expect, it } from 'vitest';
import type { Column, TableBatch } from '../batch';
import { createStatisticsAccumulator, type StatisticsOptions } from './accumulator';
import { restoreStatistics, snapshotStatistics } from './accumulator-snapshot';
import { kllRankErrorBound } from './kll-sketch';
import { createRandom } from './random';
import type { TDatasetStatistics } from './types';

const CLASSES = ['a', 'b', 'c'];

/** Rows with a number column, a high-cardinality string column, a label and a tiny image column. */
function batchOf(random: () => number, length: number): TableBatch {
  const x = new Float64Array(length);
  const words: (string | null)[] = [];
  const labels: (string | null)[] = [];
  const pixels = new Uint8Array(length * 2 * 2 * 1);
  for (let i = 0; i < length; i++) {
    x[i] = random() < 0.05 ? NaN : random() * 100 - 20;
    words.push(random() < 0.1 ? null : `w${Math.floor(random() * random() * 500)}`);
    labels.push(random() < 0.02 ? 'unknown' : CLASSES[Math.floor(random() * 3)]!);
  }
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(random() * 256);
  const columns: Column[] = [
    { kind: 'number', name: 'x', values: x },
    { kind: 'string', name: 'word', values: words },
    { kind: 'string', name: 'label', values: labels },
    { kind: 'image', name: 'img', shape: [2, 2, 1], data: pixels },
  ];
  return { length, columns };
}

function accumulate(options: StatisticsOptions, seed: number, batches: number) {
  const random = createRandom(seed);
  const accumulator = createStatisticsAccumulator(options);
  for (let i = 0; i < batches; i++) accumulator.add(batchOf(random, 700));
  return accumulator;
}

function feature(stats: TDatasetStatistics, name: string) {
  const found = stats.features.find((f) => f.name === name);
  if (!found) throw new Error(`no feature ${name}`);
  return found;
}

// Small value-count capacity: the string column overflows into heavy hitters + HyperLogLog.
const OPTIONS: StatisticsOptions = { maxExactValueCounts: 64, label: { column: 'label', classNames: CLASSES } };

describe('statistics snapshots', () => {
  it('survive a structured clone and restore to the same statistics', () => {
    // A quantile sketch larger than the stream keeps every value, so everything compares exactly.
    const options = { ...OPTIONS, quantileSketchK: 8192 };
    const original = accumulate(options, 3, 5);
    const restored = restoreStatistics(structuredClone(snapshotStatistics(original)), options);
    const expected = original.finish();
    // The string column went past exact counting, so heavy hitters and HyperLogLog travel too.
    expect(feature(expected, 'word')).toMatchObject({ type: 'string', string: { isDistinctExact: false } });
    expect(restored.finish()).toEqual(expected);
  });

  it('keep a compacted quantile sketch within its rank-error bound', () => {
    const original = accumulate(OPTIONS, 4, 20);
    const restored = restoreStatistics(structuredClone(snapshotStatistics(original)), OPTIONS).finish();
    const expected = original.finish();
    const a = feature(restored, 'x');
    const b = feature(expected, 'x');
    if (a.type !== 'number' || b.type !== 'number') throw new Error('x is not numeric');
    expect(b.numeric.quantileRankError).toBeGreaterThan(0);
    const { min, max, mean, std, zeros } = b.numeric;
    expect(a.numeric).toMatchObject({ min, max, mean, std, zeros });
    // Ranks of restored quantiles in the exact distribution (uniform on [-20, 80)) stay in bound.
    for (const { rank, value } of a.numeric.quantiles) {
      expect(Math.abs((value + 20) / 100 - rank)).toBeLessThan(kllRankErrorBound(200) + 0.01);
    }
    expect({ ...restored, features: [] }).toEqual({ ...expected, features: [] });
  });

  it('merge like the accumulators they were taken from', () => {
    const options = { ...OPTIONS, quantileSketchK: 8192 };
    const direct = accumulate(options, 5, 3);
    direct.merge(accumulate(options, 6, 4));
    const viaSnapshots = restoreStatistics(snapshotStatistics(accumulate(options, 5, 3)), options);
    viaSnapshots.merge(restoreStatistics(structuredClone(snapshotStatistics(accumulate(options, 6, 4))), options));
    expect(viaSnapshots.finish()).toEqual(direct.finish());
  });

  it('refuses label counts without a label option', () => {
    const snapshot = snapshotStatistics(accumulate(OPTIONS, 7, 1));
    expect(() => restoreStatistics(snapshot, {})).toThrow(/label counts but no label option/);
  });
});
