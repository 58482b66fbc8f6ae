import { PipelineError } from '@tsfx/shared';

export type FrequentItem = {
  value: string;
  /** Lower bound of the true count; the true count is at most `count + maxError`. */
  count: number;
};

export type FrequentItemsSketch = {
  readonly capacity: number;
  add(value: string): void;
  /**
   * Adds every non-null value of a column in one call (the hot path of string statistics).
   * Returns how many values were present and their summed length.
   */
  addColumn(values: readonly (string | null)[]): { present: number; lengthSum: number };
  /** Adds `weight` occurrences of `value` at once. */
  addWeighted(value: string, weight: number): void;
  /**
   * Adds another sketch's counts; its error adds to ours. Reads only what
   * {@link FrequentItemsMergeSource} names, so counts from a snapshot can be merged too.
   */
  merge(other: FrequentItemsMergeSource): void;
  /** Total weight added (the stream length for unit weights). */
  total(): number;
  /** Upper bound on how much any reported count undercounts; 0 while the counts are exact. */
  maxError(): number;
  /** True while no purge has happened: every count is exact and every value is listed. */
  isExact(): boolean;
  /** Number of values tracked now. */
  size(): number;
  /** Tracked values, by count descending then value ascending. */
  items(): FrequentItem[];
  /** Tracked values with their counts, in no particular order (no sorting, no copy of the map). */
  entries(): IterableIterator<[string, number]>;
};

/** What {@link FrequentItemsSketch.merge} reads of the other sketch. */
export type FrequentItemsMergeSource = Pick<FrequentItemsSketch, 'entries' | 'total' | 'maxError' | 'isExact'>;

export type FrequentItemsOptions = {
  /**
   * Called once, just before counts stop being exact, with every distinct value seen so far:
   * lets a caller seed a distinct counter lazily instead of hashing every value up front.
   */
  beforeFirstPurge?: (values: IterableIterator<string>) => void;
};

/**
 * Misra–Gries heavy hitters with DataSketches' median purge: count exactly until more than
 * `capacity` values are tracked, then subtract the median counter from every counter and
 * drop those that reach zero. Each purge removes at least median × capacity/2 of stream
 * weight, so the accumulated subtraction (`maxError`) is at most 2·N / capacity, and a value
 * with true count above that is always still tracked.
 *
 * Counts live in a Float64Array indexed by a Map from value to slot, so counting a value
 * already seen is one hash lookup and one typed-array increment.
 *
 * @see Misra, Gries, "Finding repeated elements", 1982.
 * @see https://datasketches.apache.org/docs/Frequency/FrequentItemsOverview.html (purge by median)
 *
 * @example
 * const sketch = createFrequentItemsSketch(2048);
 * for (const s of strings) sketch.add(s);
 * sketch.items().slice(0, 20); // top values, undercounted by at most sketch.maxError()
 */
export function createFrequentItemsSketch(
  capacity: number,
  options: FrequentItemsOptions = {},
): FrequentItemsSketch {
  if (!Number.isInteger(capacity) || capacity < 2) {
    throw new PipelineError('INVALID_INPUT', 'frequent-items capacity must be an integer ≥ 2', {
      expected: 'an integer ≥ 2',
      received: String(capacity),
    });
  }
  let slots = new Map<string, number>();
  let counts = new Float64Array(Math.min(capacity + 1, 1024));
  let offset = 0;
  let totalWeight = 0;
  let hasPurged = false;
  // The last value counted and its slot: real columns are often sorted or clustered, and a
  // repeated value then costs a pointer comparison instead of a hash lookup.
  let lastValue: string | undefined;
  let lastSlot = 0;

  const allocate = (value: string): number => {
    const slot = slots.size;
    if (slot === counts.length) {
      const grown = new Float64Array(Math.min(capacity + 1, counts.length * 2));
      grown.set(counts);
      counts = grown;
    }
    slots.set(value, slot);
    counts[slot] = 0;
    return slot;
  };

  const purge = (): void => {
    if (!hasPurged) options.beforeFirstPurge?.(slots.keys());
    const size = slots.size;
    const sorted = counts.slice(0, size).sort();
    const median = sorted[size >>> 1]!;
    const kept = new Map<string, number>();
    const keptCounts = new Float64Array(counts.length);
    for (const [value, slot] of slots) {
      const count = counts[slot]! - median;
      if (count > 0) {
        keptCounts[kept.size] = count;
        kept.set(value, kept.size);
      }
    }
    slots = kept;
    counts = keptCounts;
    lastValue = undefined;
    offset += median;
    hasPurged = true;
  };

  const addWeighted = (value: string, weight: number): void => {
    const slot = slots.get(value) ?? allocate(value);
    counts[slot]! += weight;
    totalWeight += weight;
    if (slots.size > capacity) purge();
  };

  return {
    capacity,
    add(value) {
      if (value === lastValue) {
        counts[lastSlot]!++;
        totalWeight++;
        return;
      }
      const slot = slots.get(value);
      if (slot !== undefined) {
        counts[slot]!++;
        totalWeight++;
        lastValue = value;
        lastSlot = slot;
      } else {
        addWeighted(value, 1);
      }
    },
    addColumn(values) {
      let present = 0;
      let lengthSum = 0;
      let previous: string | undefined;
      let previousSlot = 0;
      for (let i = 0; i < values.length; i++) {
        const value = values[i];
        if (value == null) continue;
        present++;
        lengthSum += value.length;
        if (value === previous) {
          counts[previousSlot]!++;
          continue;
        }
        const slot = slots.get(value);
        if (slot === undefined) {
          // New value: the slow path may purge, which renumbers slots.
          addWeighted(value, 1);
          totalWeight--;
          previous = undefined;
          continue;
        }
        counts[slot]!++;
        previous = value;
        previousSlot = slot;
      }
      totalWeight += present;
      return { present, lengthSum };
    },
    addWeighted,
    merge(other) {
      for (const [value, count] of other.entries()) addWeighted(value, count);
      // addWeighted counted the other's tracked weight; count its whole stream instead.
      totalWeight += other.total() - sumOf(other.entries());
      offset += other.maxError();
      hasPurged ||= !other.isExact();
    },
    total: () => totalWeight,
    maxError: () => offset,
    isExact: () => !hasPurged,
    size: () => slots.size,
    items() {
      const items: FrequentItem[] = [];
      for (const [value, slot] of slots) items.push({ value, count: counts[slot]! });
      items.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
      return items;
    },
    *entries() {
      for (const [value, slot] of slots) yield [value, counts[slot]!] as [string, number];
    },
  };
}

function sumOf(entries: Iterable<[string, number]>): number {
  let sum = 0;
  for (const [, count] of entries) sum += count;
  return sum;
}
