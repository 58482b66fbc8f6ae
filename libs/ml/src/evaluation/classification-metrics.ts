import { computeCalibration } from './calibration';
import { classMetricName, METRIC } from './metric-names';
import { computeRocAuc } from './roc-auc';
import { type TAveragedMetrics, type TClassificationMetrics, type TClassMetrics, type TFlatMetrics } from './schemas';

/** Keras's `backend.epsilon()`: probabilities are clipped to [ε, 1 − ε] before the log. */
export const KERAS_EPSILON = 1e-7;

/**
 * Predictions as the accumulator keeps them: class probabilities as the model gave them,
 * `exampleCount × classNames.length` row-major, already checked (finite, non-negative, rows summing
 * to 1 within a tolerance); labels are class indices.
 */
export type TPredictionTable = {
  classNames: readonly string[];
  probabilities: Float64Array;
  labels: Int32Array;
  exampleCount: number;
};

/**
 * Classification metrics of the examples `rows` of `table` (all of them when `rows` is null).
 * Everything is exact (no threshold buckets): argmax predictions, Keras's normalized and clipped cross-entropy,
 * sklearn's precision/recall/F1 with `zero_division=0`, sklearn's ROC AUC with ties.
 */
export function computeClassificationMetrics(
  table: TPredictionTable,
  rows: Int32Array | null,
  calibrationBins: number,
): TClassificationMetrics {
  const { classNames, probabilities, labels } = table;
  const k = classNames.length;
  const n = rows ? rows.length : table.exampleCount;
  const confusionMatrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const confidences = new Float64Array(n);
  const correct = new Uint8Array(n);
  let lossSum = 0;
  let correctCount = 0;
  for (let j = 0; j < n; j++) {
    const row = rows ? (rows[j] as number) : j;
    const base = row * k;
    const label = labels[row] as number;
    const predicted = argmaxOfRow(probabilities, base, k);
    // Keras: p / Σp, then -Σ y_true·log(clip(p, ε, 1 − ε)); with a one-hot target only the true class's term remains.
    // Only the loss normalizes: AUC ranks the scores as given (as sklearn does), and dividing rows by
    // sums a rounding error apart from 1 would break ties between rows.
    const pTrue = (probabilities[base + label] as number) / rowSum(probabilities, base, k);
    lossSum -= Math.log(Math.min(1 - KERAS_EPSILON, Math.max(KERAS_EPSILON, pTrue)));
    (confusionMatrix[label] as number[])[predicted]! += 1;
    confidences[j] = probabilities[base + predicted] as number;
    if (predicted === label) {
      correct[j] = 1;
      correctCount++;
    }
  }

  const perClass = perClassMetrics(confusionMatrix, classNames);
  const { macro, weighted } = averagedMetrics(perClass);
  const auc = aucMetrics(table, rows, n);
  const calibration = computeCalibration(confidences, correct, calibrationBins);

  const metrics: TFlatMetrics = {
    [METRIC.exampleCount]: n,
    [METRIC.loss]: lossSum / n,
    [METRIC.accuracy]: correctCount / n,
    [METRIC.macroPrecision]: macro.precision,
    [METRIC.macroRecall]: macro.recall,
    [METRIC.macroF1]: macro.f1,
    [METRIC.weightedPrecision]: weighted.precision,
    [METRIC.weightedRecall]: weighted.recall,
    [METRIC.weightedF1]: weighted.f1,
    [METRIC.ece]: calibration.ece,
  };
  const undefinedMetrics: Record<string, string> = {};
  for (const c of perClass) {
    for (const kind of ['precision', 'recall', 'f1'] as const) {
      const value = c[kind];
      const name = classMetricName(kind, c.className);
      if (value === null) undefinedMetrics[name] = `class ${c.className} neither occurs nor is predicted in this slice`;
      else metrics[name] = value;
    }
  }
  if (auc.value === null) undefinedMetrics[METRIC.auc] = auc.undefinedReason;
  else metrics[METRIC.auc] = auc.value;
  auc.perClass?.forEach((value, c) => {
    const className = classNames[c] as string;
    const name = classMetricName('auc', className);
    if (value === null) undefinedMetrics[name] = oneVsRestUndefinedReason(className, perClass[c]?.support ?? 0, n);
    else metrics[name] = value;
  });

  return {
    exampleCount: n,
    loss: lossSum / n,
    accuracy: correctCount / n,
    perClass,
    macro,
    weighted,
    confusionMatrix,
    auc: auc.value,
    aucPerClass: auc.perClass,
    calibration,
    metrics,
    undefinedMetrics,
  };
}

function rowSum(probabilities: Float64Array, base: number, k: number): number {
  let sum = 0;
  for (let c = 0; c < k; c++) sum += probabilities[base + c] as number;
  return sum;
}

/** First index of the row's maximum, like numpy's argmax. */
function argmaxOfRow(probabilities: Float64Array, base: number, k: number): number {
  let best = 0;
  let bestValue = probabilities[base] as number;
  for (let c = 1; c < k; c++) {
    const v = probabilities[base + c] as number;
    if (v > bestValue) {
      best = c;
      bestValue = v;
    }
  }
  return best;
}

/** sklearn `precision_recall_fscore_support(zero_division=0)` per class; null for a class that neither occurs nor is predicted. */
function perClassMetrics(confusionMatrix: number[][], classNames: readonly string[]): TClassMetrics[] {
  return classNames.map((className, c) => {
    const row = confusionMatrix[c] as number[];
    const tp = row[c] as number;
    const support = row.reduce((a, b) => a + b, 0);
    const predictedCount = confusionMatrix.reduce((sum, r) => sum + (r[c] as number), 0);
    if (support === 0 && predictedCount === 0) {
      return { className, precision: null, recall: null, f1: null, support, predictedCount };
    }
    const precision = predictedCount > 0 ? tp / predictedCount : 0;
    const recall = support > 0 ? tp / support : 0;
    // sklearn ≥ 1.3 computes F1 as 2tp / (2tp + fp + fn), which equals 2PR / (P + R) and is 0 when tp = 0.
    const f1 = tp > 0 ? (2 * tp) / (support + predictedCount) : 0;
    return { className, precision, recall, f1, support, predictedCount };
  });
}

/**
 * sklearn's `average='macro'` and `'weighted'` with `labels=None`: over the classes present in
 * y_true ∪ y_pred (the others are null here). Weighted uses the true-class support.
 */
function averagedMetrics(perClass: readonly TClassMetrics[]): { macro: TAveragedMetrics; weighted: TAveragedMetrics } {
  const present = perClass.filter((c) => c.precision !== null);
  const totalSupport = present.reduce((sum, c) => sum + c.support, 0);
  const mean = (pick: (c: TClassMetrics) => number, weight: (c: TClassMetrics) => number, total: number): number =>
    total > 0 ? present.reduce((sum, c) => sum + weight(c) * pick(c), 0) / total : 0;
  const averaged = (weight: (c: TClassMetrics) => number, total: number): TAveragedMetrics => ({
    precision: mean((c) => c.precision ?? 0, weight, total),
    recall: mean((c) => c.recall ?? 0, weight, total),
    f1: mean((c) => c.f1 ?? 0, weight, total),
  });
  return { macro: averaged(() => 1, present.length), weighted: averaged((c) => c.support, totalSupport) };
}

type TAucResult = { value: number; perClass: (number | null)[] | null } | { value: null; perClass: (number | null)[] | null; undefinedReason: string };

/**
 * k = 2: AUC of the second class's probability (sklearn's binary `roc_auc_score(y, p[:, 1])`).
 * k > 2: sklearn's `multi_class='ovr', average='macro'`, which is undefined (sklearn raises) unless
 * every class occurs and is absent somewhere in the slice.
 */
function aucMetrics(table: TPredictionTable, rows: Int32Array | null, n: number): TAucResult {
  const k = table.classNames.length;
  const classes = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
  const scores = new Float64Array(n);
  const isPositive = new Uint8Array(n);
  const perClass = classes.map((c) => {
    for (let j = 0; j < n; j++) {
      const row = rows ? (rows[j] as number) : j;
      scores[j] = table.probabilities[row * k + c] as number;
      isPositive[j] = table.labels[row] === c ? 1 : 0;
    }
    return computeRocAuc(scores, isPositive);
  });
  if (k === 2) {
    const value = perClass[0] ?? null;
    if (value !== null) return { value, perClass: null };
    const onlyClass = table.classNames[table.labels[rows ? (rows[0] as number) : 0] as number] as string;
    return { value: null, perClass: null, undefinedReason: `only one class (${onlyClass}) is present among the labels, so ROC AUC is undefined` };
  }
  const undefinedClasses = table.classNames.filter((_, c) => perClass[c] === null);
  if (undefinedClasses.length > 0) {
    return {
      value: null,
      perClass,
      undefinedReason: `one-vs-rest ROC AUC is undefined for ${undefinedClasses.join(', ')} (each class must occur and be absent somewhere in the slice)`,
    };
  }
  const values = perClass as number[];
  return { value: values.reduce((a, b) => a + b, 0) / values.length, perClass };
}

function oneVsRestUndefinedReason(className: string, support: number, n: number): string {
  return support === 0
    ? `class ${className} does not occur in this slice, so its one-vs-rest ROC AUC is undefined`
    : `every example of this slice (${n}) is ${className}, so its one-vs-rest ROC AUC is undefined`;
}
