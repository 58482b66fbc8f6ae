/**
 * Stable names of the flat metric map that thresholds refer to. Per-class metrics are
 * `<metric>/<class name>` (class names may themselves contain `/`, e.g. `T-shirt/top`; names are
 * matched whole, never parsed).
 */
export const METRIC = {
  exampleCount: 'example_count',
  loss: 'loss',
  accuracy: 'accuracy',
  /** Binary: AUC of the second class. k > 2: one-vs-rest macro AUC. */
  auc: 'auc',
  macroPrecision: 'macro_precision',
  macroRecall: 'macro_recall',
  macroF1: 'macro_f1',
  weightedPrecision: 'weighted_precision',
  weightedRecall: 'weighted_recall',
  weightedF1: 'weighted_f1',
  /** Expected calibration error of the top-class probability. */
  ece: 'ece',
} as const;

/** Metrics computed per class. `auc` per class exists for k > 2 only (one-vs-rest). */
export type TClassMetricKind = 'precision' | 'recall' | 'f1' | 'auc';

export function classMetricName(kind: TClassMetricKind, className: string): string {
  return `${kind}/${className}`;
}
