import { PipelineError } from '@tsfx/shared';
import { DEFAULT_CALIBRATION_BINS } from './calibration';
import { computeClassificationMetrics, type TPredictionTable } from './classification-metrics';
import { EVALUATION_SCHEMA_VERSION, type TEvaluation, type TModelRef, type TSliceMetrics, type TSliceValue } from './schemas';
import { OVERALL_SLICE_KEY, sliceKey } from './slice-keys';

/** A feature with more distinct values than this is refused as a slicing (bucket it first). */
export const DEFAULT_MAX_SLICES_PER_FEATURE = 100;

/** How far a row's probabilities may sum from 1 (float32 softmax is off by ~1e-7; logits or sigmoids are off by far more). */
const ROW_SUM_TOLERANCE = 1e-3;

export type TEvaluationOptions = {
  /** Class names in the model's output order; at least 2. */
  classNames: readonly string[];
  /** Features to slice by; each batch gives every one of them a value per example. */
  sliceBy?: readonly string[];
  /** Name under which per-label slices are keyed (`<labelFeature>:<class>`), normally the label column; null for none. Default `label`. */
  labelFeature?: string | null;
  /** The evaluated model, recorded in evaluation.json and used as the baseline id by the blessing. */
  model?: TModelRef;
  calibrationBins?: number;
  maxSlicesPerFeature?: number;
};

/** One feature's value per example of a batch; null, undefined and NaN mean "missing". */
export type TSliceValueColumn = ArrayLike<TSliceValue | null | undefined>;

export type EvaluationAccumulator = {
  /**
   * Adds a batch: `probabilities` is `batchSize × classes` row-major (softmax output), `labels`
   * the true class indices, `sliceValues` one column per `sliceBy` feature.
   */
  add(probabilities: ArrayLike<number>, labels: ArrayLike<number>, sliceValues?: Readonly<Record<string, TSliceValueColumn>>): void;
  /** Examples added so far. */
  readonly exampleCount: number;
  /** Metrics overall and per slice of everything added so far (does not reset the accumulator). */
  finish(): TEvaluation;
};

/**
 * Streams evaluation over prediction batches. Counting metrics could be folded as they arrive, but
 * exact ROC AUC needs every score, so the accumulator keeps the probabilities, labels
 * and slice-value ids: O(n·k) numbers, 800 KB for 10,000 examples of 10 classes.
 */
export function createEvaluationAccumulator(options: TEvaluationOptions): EvaluationAccumulator {
  const classNames = [...options.classNames];
  const k = classNames.length;
  const sliceBy = [...(options.sliceBy ?? [])];
  const labelFeature = options.labelFeature === undefined ? 'label' : options.labelFeature;
  const calibrationBins = options.calibrationBins ?? DEFAULT_CALIBRATION_BINS;
  const maxSlicesPerFeature = options.maxSlicesPerFeature ?? DEFAULT_MAX_SLICES_PER_FEATURE;
  checkOptions(classNames, sliceBy, labelFeature, calibrationBins, maxSlicesPerFeature);

  let probabilities = new Float64Array(1024 * k);
  let labels = new Int32Array(1024);
  let count = 0;
  const features: TFeatureSlices[] = sliceBy.map((feature) => ({ feature, ids: new Int32Array(1024), values: new Map(), missing: 0 }));

  function ensureCapacity(needed: number): void {
    if (needed <= labels.length) return;
    const capacity = Math.max(needed, labels.length * 2);
    probabilities = grow(probabilities, capacity * k);
    labels = grow(labels, capacity);
    for (const f of features) f.ids = grow(f.ids, capacity);
  }

  return {
    get exampleCount() {
      return count;
    },

    add(batchProbabilities, batchLabels, batchSliceValues = {}) {
      const batchSize = batchLabels.length;
      if (batchProbabilities.length !== batchSize * k) {
        throw new PipelineError('INVALID_INPUT', 'prediction batch does not match its labels', {
          expected: `${batchSize} labels × ${k} class probabilities = ${batchSize * k} numbers (for a one-unit sigmoid head, pass [1 − p, p] per row)`,
          received: `${batchProbabilities.length} numbers`,
        });
      }
      checkSliceColumns(batchSliceValues, sliceBy, batchSize);
      ensureCapacity(count + batchSize);
      for (let j = 0; j < batchSize; j++) {
        const row = count + j;
        const label = batchLabels[j] as number;
        if (!Number.isInteger(label) || label < 0 || label >= k) {
          throw new PipelineError('INVALID_INPUT', `label of example ${row} is not a class index`, { expected: `an integer in [0, ${k - 1}]`, received: String(label) });
        }
        labels[row] = label;
        copyCheckedRow(batchProbabilities, j * k, probabilities, row * k, k, row);
      }
      // Slice values are read in full before any is recorded, so a refused batch leaves no trace.
      const pending = features.map((f) => readSliceColumn(f, batchSliceValues[f.feature] as TSliceValueColumn, count, maxSlicesPerFeature));
      pending.forEach(({ added, missing }, i) => {
        const f = features[i] as TFeatureSlices;
        for (const [text, entry] of added) f.values.set(text, entry);
        f.missing += missing;
      });
      count += batchSize;
    },

    finish() {
      if (count === 0) {
        throw new PipelineError('INVALID_INPUT', 'nothing to evaluate', { expected: 'at least one example', received: 'none' });
      }
      const table: TPredictionTable = { classNames, probabilities, labels, exampleCount: count };
      const sliceOf = (key: string, feature: string | null, value: TSliceValue | null, rows: Int32Array | null): TSliceMetrics => ({
        key,
        feature,
        value,
        metrics: computeClassificationMetrics(table, rows, calibrationBins),
      });

      const slices: TSliceMetrics[] = [];
      for (const f of features) {
        const rowsById = groupRows(f.ids, count, f.values.size);
        const entries = [...f.values.values()].sort((a, b) => compareSliceValues(a.value, b.value));
        for (const { id, value } of entries) slices.push(sliceOf(sliceKey(f.feature, value), f.feature, value, rowsById[id] as Int32Array));
      }
      if (labelFeature !== null) {
        const rowsByClass = groupRows(labels, count, k);
        classNames.forEach((className, c) => {
          const rows = rowsByClass[c] as Int32Array;
          // Like TFMA, a slice exists only for values that occur.
          if (rows.length > 0) slices.push(sliceOf(sliceKey(labelFeature, className), labelFeature, className, rows));
        });
      }

      return {
        schemaVersion: EVALUATION_SCHEMA_VERSION,
        task: 'classification',
        model: options.model ?? null,
        classNames,
        exampleCount: count,
        slicing: {
          features: features.map((f) => ({ feature: f.feature, sliceCount: f.values.size, missingCount: f.missing })),
          labelFeature,
        },
        overall: sliceOf(OVERALL_SLICE_KEY, null, null, null),
        slices,
        baselineComparison: null,
      };
    },
  };
}

/** One-shot evaluation of predictions already in memory: an accumulator fed a single batch. */
export function evaluateClassification(
  input: TEvaluationOptions & {
    probabilities: ArrayLike<number>;
    labels: ArrayLike<number>;
    sliceValues?: Readonly<Record<string, TSliceValueColumn>>;
  },
): TEvaluation {
  const accumulator = createEvaluationAccumulator(input);
  accumulator.add(input.probabilities, input.labels, input.sliceValues);
  return accumulator.finish();
}

/** A slicing feature's distinct values (text → id, first value seen) and each example's value id (−1: missing). */
type TFeatureSlices = { feature: string; ids: Int32Array; values: Map<string, TSliceEntry>; missing: number };
type TSliceEntry = { id: number; value: TSliceValue };

/** Writes the batch's value ids into `f.ids` from row `offset` and returns the values not seen before, without recording them. */
function readSliceColumn(
  f: TFeatureSlices,
  column: TSliceValueColumn,
  offset: number,
  maxSlicesPerFeature: number,
): { added: Map<string, TSliceEntry>; missing: number } {
  const added = new Map<string, TSliceEntry>();
  let missing = 0;
  for (let j = 0; j < column.length; j++) {
    const value = column[j];
    if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) {
      f.ids[offset + j] = -1;
      missing++;
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new PipelineError('INVALID_INPUT', `slice value of '${f.feature}' for example ${offset + j} is not a string or number`, {
        expected: 'string, number, null or undefined',
        received: typeof value,
      });
    }
    // Values that read the same as text are one slice, as slice keys and threshold specs compare them.
    const text = String(value);
    let entry = f.values.get(text) ?? added.get(text);
    if (entry === undefined) {
      const id = f.values.size + added.size;
      if (id >= maxSlicesPerFeature) {
        throw new PipelineError('INVALID_INPUT', `slicing feature '${f.feature}' has too many distinct values; slice by a bucketed feature instead`, {
          expected: `at most ${maxSlicesPerFeature} distinct values`,
          received: `more (value ${maxSlicesPerFeature + 1} is ${JSON.stringify(value)})`,
        });
      }
      entry = { id, value };
      added.set(text, entry);
    }
    f.ids[offset + j] = entry.id;
  }
  return { added, missing };
}

function checkOptions(classNames: string[], sliceBy: string[], labelFeature: string | null, calibrationBins: number, maxSlicesPerFeature: number): void {
  if (classNames.length < 2) {
    throw new PipelineError('INVALID_INPUT', 'classification evaluation needs at least two classes', {
      expected: 'classNames with ≥ 2 entries',
      received: JSON.stringify(classNames),
    });
  }
  const duplicate = (names: readonly string[]) => names.find((name, i) => names.indexOf(name) !== i);
  const duplicateClass = duplicate(classNames);
  if (duplicateClass !== undefined) {
    throw new PipelineError('INVALID_INPUT', `class name '${duplicateClass}' appears twice`, { expected: 'distinct class names', received: JSON.stringify(classNames) });
  }
  // The label feature is sliced anyway, so naming it in sliceBy as well would make every label slice twice.
  const slicings = labelFeature === null ? sliceBy : [...sliceBy, labelFeature];
  const duplicateFeature = duplicate(slicings);
  if (duplicateFeature !== undefined) {
    throw new PipelineError('INVALID_INPUT', `slicing feature '${duplicateFeature}' is given twice (the label feature is always sliced)`, {
      expected: 'distinct slicing features',
      received: JSON.stringify(slicings),
    });
  }
  if (!Number.isInteger(calibrationBins) || calibrationBins < 1) {
    throw new PipelineError('INVALID_INPUT', 'calibration bin count is invalid', { expected: 'a positive integer', received: String(calibrationBins) });
  }
  if (!Number.isInteger(maxSlicesPerFeature) || maxSlicesPerFeature < 1) {
    throw new PipelineError('INVALID_INPUT', 'maxSlicesPerFeature is invalid', { expected: 'a positive integer', received: String(maxSlicesPerFeature) });
  }
}

function checkSliceColumns(columns: Readonly<Record<string, TSliceValueColumn>>, sliceBy: readonly string[], batchSize: number): void {
  const given = Object.keys(columns);
  const unknown = given.filter((name) => !sliceBy.includes(name));
  const missing = sliceBy.filter((name) => columns[name] === undefined);
  if (unknown.length > 0 || missing.length > 0) {
    throw new PipelineError('INVALID_INPUT', 'slice value columns do not match the slicing features', {
      expected: `columns ${JSON.stringify(sliceBy)}`,
      received: `columns ${JSON.stringify(given)}`,
    });
  }
  for (const name of sliceBy) {
    const length = (columns[name] as TSliceValueColumn).length;
    if (length !== batchSize) {
      throw new PipelineError('INVALID_INPUT', `slice value column '${name}' does not match the batch`, { expected: `${batchSize} values`, received: `${length}` });
    }
  }
}

/** Checks one row of probabilities and stores it as given. */
function copyCheckedRow(source: ArrayLike<number>, from: number, target: Float64Array, to: number, k: number, example: number): void {
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const p = source[from + c] as number;
    if (!Number.isFinite(p) || p < 0) {
      throw new PipelineError('INVALID_INPUT', `probability of class ${c} for example ${example} is not a probability`, {
        expected: 'a finite number ≥ 0 (softmax output, not logits)',
        received: String(p),
      });
    }
    sum += p;
  }
  if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
    throw new PipelineError('INVALID_INPUT', `class probabilities of example ${example} do not sum to 1`, {
      expected: `a sum within ${ROW_SUM_TOLERANCE} of 1 (softmax output)`,
      received: String(sum),
    });
  }
  for (let c = 0; c < k; c++) target[to + c] = source[from + c] as number;
}

/** Row indices per group id (ids < 0 belong to no group), by counting sort so each group stays in row order. */
function groupRows(ids: Int32Array, count: number, groupCount: number): Int32Array[] {
  const sizes = new Int32Array(groupCount);
  for (let i = 0; i < count; i++) {
    const id = ids[i] as number;
    if (id >= 0) sizes[id]!++;
  }
  const groups = Array.from(sizes, (size) => new Int32Array(size));
  const filled = new Int32Array(groupCount);
  for (let i = 0; i < count; i++) {
    const id = ids[i] as number;
    if (id >= 0) (groups[id] as Int32Array)[filled[id]!++] = i;
  }
  return groups;
}

/** Numbers ascending, then strings by code point: an order that does not depend on batch order. */
function compareSliceValues(a: TSliceValue, b: TSliceValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function grow<T extends Float64Array | Int32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}
