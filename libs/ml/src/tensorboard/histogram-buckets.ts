/**
 * Histogram statistics in the shape of TensorFlow's HistogramProto, with equal-width buckets.
 *
 * We use TensorBoard's v2 layout (tensorboard/plugins/histogram/summary_v2.py): 30 equal-width
 * buckets between min and max, not TF1's ~1500 fixed exponential limits. TensorBoard reads
 * `bucket_limit[i]` as bucket i's right edge, takes bucket 0's left edge from `min` and replaces
 * the last right edge with `max` (tensorboard/data_compat.py), so equal widths display exactly.
 * A value on an inner edge counts in the bucket to its right (as TF's Histogram::Add does);
 * `max` itself counts in the last bucket.
 */
import { PipelineError } from '@tsfx/shared';

export const DEFAULT_HISTOGRAM_BUCKETS = 30;

export type THistogram = {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Right edge of each bucket; the last one is `max`. */
  bucketLimits: number[];
  /** Values per bucket. */
  bucketCounts: number[];
};

/**
 * Non-finite values are refused, as TF's histogram op refuses them ("Nan in summary histogram"):
 * they have no bucket, and dropping them would draw a histogram of different data.
 */
export function computeHistogram(tag: string, values: ArrayLike<number>, bucketCount = DEFAULT_HISTOGRAM_BUCKETS): THistogram {
  if (values.length === 0) {
    throw new PipelineError('INVALID_INPUT', `histogram '${tag}' has no values`, { expected: 'at least one value', received: 'none' });
  }
  if (!Number.isInteger(bucketCount) || bucketCount < 1) {
    throw new PipelineError('INVALID_INPUT', `histogram '${tag}' bucket count is invalid`, {
      expected: 'a positive integer',
      received: String(bucketCount),
    });
  }
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!Number.isFinite(value)) {
      throw new PipelineError('INVALID_INPUT', `histogram '${tag}' has a non-finite value at index ${i}`, {
        expected: 'finite numbers',
        received: String(value),
      });
    }
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
    sumSquares += value * value;
  }

  // All values equal: one bucket [min, max] (a zero width would put everything in bucket 0 anyway).
  const buckets = min === max ? 1 : bucketCount;
  const width = (max - min) / buckets;
  const bucketLimits = Array.from({ length: buckets }, (_, i) => (i === buckets - 1 ? max : min + (i + 1) * width));
  const bucketCounts = new Array<number>(buckets).fill(0);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    let index = width > 0 ? Math.min(buckets - 1, Math.floor((value - min) / width)) : 0;
    // The division can land one bucket off near an edge; settle it against the limits we write.
    while (index > 0 && value < (bucketLimits[index - 1] as number)) index--;
    while (index < buckets - 1 && value >= (bucketLimits[index] as number)) index++;
    bucketCounts[index] = (bucketCounts[index] as number) + 1;
  }
  return { min, max, num: values.length, sum, sumSquares, bucketLimits, bucketCounts };
}
