import { z } from 'zod';

/**
 * Wire schemas of the evaluate stage's artifacts: `evaluation.json` ({@link ZEvaluationResult}),
 * the threshold config the user writes ({@link ZThresholdConfig}) and `blessing.json`
 * ({@link ZBlessing}). zod 4's `z.number()` rejects NaN and ±Infinity, which is what we want:
 * an undefined metric is `null` (structured fields) or absent (flat `metrics` record), never NaN,
 * so every artifact round-trips through `JSON.stringify`/`JSON.parse` unchanged.
 */

/** Version of the `evaluation.json` and `blessing.json` layouts; bump on a breaking change. */
export const EVALUATION_SCHEMA_VERSION = 1 as const;

// ---------------------------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------------------------

/** A metric name → value map with stable names (`accuracy`, `precision/Adelie`, …) that thresholds refer to. */
export const ZFlatMetrics = z.record(z.string(), z.number());
export type TFlatMetrics = z.infer<typeof ZFlatMetrics>;

export const ZClassMetrics = z.object({
  className: z.string(),
  /** tp / (tp + fp); 0 when the class was never predicted but occurs (sklearn `zero_division=0`); null when the class neither occurs nor is predicted. */
  precision: z.number().nullable(),
  /** tp / (tp + fn); 0 when the class is predicted but never occurs (sklearn `zero_division=0`); null when it neither occurs nor is predicted. */
  recall: z.number().nullable(),
  /** 2PR / (P + R), 0 when P + R = 0; null exactly when precision and recall are. */
  f1: z.number().nullable(),
  /** Examples whose true label is this class. */
  support: z.number().int().nonnegative(),
  /** Examples predicted (argmax) as this class. */
  predictedCount: z.number().int().nonnegative(),
});
export type TClassMetrics = z.infer<typeof ZClassMetrics>;

export const ZAveragedMetrics = z.object({ precision: z.number(), recall: z.number(), f1: z.number() });
export type TAveragedMetrics = z.infer<typeof ZAveragedMetrics>;

export const ZCalibrationBin = z.object({
  /** Exclusive lower edge of the confidence interval `(lower, upper]` (the first bin also holds exactly 0). */
  lower: z.number(),
  upper: z.number(),
  count: z.number().int().nonnegative(),
  /** Mean top-class probability of the bin's examples; null for an empty bin. */
  meanConfidence: z.number().nullable(),
  /** Fraction of the bin's examples whose top class is the true class; null for an empty bin. */
  accuracy: z.number().nullable(),
});
export type TCalibrationBin = z.infer<typeof ZCalibrationBin>;

export const ZCalibration = z.object({
  /** Reliability diagram: equal-width confidence bins. */
  bins: z.array(ZCalibrationBin),
  /** Expected calibration error, Σ_b (n_b / n)·|accuracy_b − meanConfidence_b|. */
  ece: z.number(),
});
export type TCalibration = z.infer<typeof ZCalibration>;

export const ZClassificationMetrics = z.object({
  task: z.literal('classification'),
  exampleCount: z.number().int().positive(),
  classNames: z.array(z.string()),
  /** Mean categorical cross-entropy (Keras semantics), or the caller's `lossFn`. */
  loss: z.number(),
  accuracy: z.number(),
  perClass: z.array(ZClassMetrics),
  /** Unweighted mean over the classes that occur or are predicted (sklearn `average='macro'`). */
  macro: ZAveragedMetrics,
  /** Support-weighted mean over the same classes (sklearn `average='weighted'`). */
  weighted: ZAveragedMetrics,
  /** k × k counts, `confusionMatrix[trueClass][predictedClass]`. */
  confusionMatrix: z.array(z.array(z.number().int().nonnegative())),
  /**
   * Binary (k = 2): ROC AUC of class 1's probability. k > 2: one-vs-rest macro AUC.
   * Null when undefined (a class with no positives or no negatives in this data).
   */
  auc: z.number().nullable(),
  /** k > 2 only: one-vs-rest ROC AUC of each class (null where undefined); null for k = 2. */
  aucPerClass: z.array(z.number().nullable()).nullable(),
  calibration: ZCalibration,
  /** Every metric above under a stable flat name. Undefined metrics are absent, see `undefinedMetrics`. */
  metrics: ZFlatMetrics,
  /** Metric name → why it is undefined on this data (so a threshold on it can say more than "not found"). */
  undefinedMetrics: z.record(z.string(), z.string()),
});
export type TClassificationMetrics = z.infer<typeof ZClassificationMetrics>;

export const ZRegressionMetrics = z.object({
  task: z.literal('regression'),
  exampleCount: z.number().int().positive(),
  mse: z.number(),
  rmse: z.number(),
  mae: z.number(),
  /** Coefficient of determination, sklearn `r2_score` with `force_finite=True`. */
  r2: z.number(),
  metrics: ZFlatMetrics,
  undefinedMetrics: z.record(z.string(), z.string()),
});
export type TRegressionMetrics = z.infer<typeof ZRegressionMetrics>;

export const ZModelMetrics = z.discriminatedUnion('task', [ZClassificationMetrics, ZRegressionMetrics]);
export type TModelMetrics = z.infer<typeof ZModelMetrics>;

// ---------------------------------------------------------------------------------------------
// Slices and evaluation.json
// ---------------------------------------------------------------------------------------------

export const ZNumericBucket = z.object({
  lower: z.number(),
  upper: z.number(),
  /** True for the last bucket, which is `[lower, upper]`; the others are `[lower, upper)`. */
  isUpperInclusive: z.boolean(),
});
export type TNumericBucket = z.infer<typeof ZNumericBucket>;

export const ZSliceMetrics = z.object({
  /** TFMA-style slice key: `Overall`, `Island:Biscoe`, `label:Adelie`, `body_mass_g:[3550, 4050)`. */
  key: z.string(),
  /** Slicing feature; null for the Overall slice, `label` for per-label slices. */
  feature: z.string().nullable(),
  /** The feature value (or bucket label) of this slice; null for Overall and for the missing-value slice. */
  value: z.union([z.string(), z.number(), z.null()]),
  /** Set when a numeric feature was bucketed into quantiles. */
  bucket: ZNumericBucket.optional(),
  exampleCount: z.number().int().positive(),
  details: ZModelMetrics,
});
export type TSliceMetrics = z.infer<typeof ZSliceMetrics>;

export const ZSlicingFeatureSummary = z.object({
  feature: z.string(),
  /** `categorical`: one slice per distinct value. `quantiles`: numeric values bucketed into quantile ranges. */
  kind: z.enum(['categorical', 'quantiles']),
  /** Number of slices made from this feature (the missing-value slice included). */
  sliceCount: z.number().int().nonnegative(),
  /** Examples with no value (null, undefined or NaN); they form the `<feature>:(missing)` slice. */
  missingCount: z.number().int().nonnegative(),
});
export type TSlicingFeatureSummary = z.infer<typeof ZSlicingFeatureSummary>;

/** `evaluation.json`: metrics of one model on the eval split, overall and per slice. */
export const ZEvaluationResult = z.object({
  schemaVersion: z.literal(EVALUATION_SCHEMA_VERSION),
  task: z.enum(['classification', 'regression']),
  exampleCount: z.number().int().positive(),
  slicing: z.object({ features: z.array(ZSlicingFeatureSummary), byLabel: z.boolean() }),
  /** `Overall` first, then per feature in the order given, then per label. */
  slices: z.array(ZSliceMetrics).min(1),
});
export type TEvaluationResult = z.infer<typeof ZEvaluationResult>;
/** The sliced metrics of one model: the same object as `evaluation.json`. */
export type TSlicedMetrics = TEvaluationResult;

// ---------------------------------------------------------------------------------------------
// Thresholds (the user's config)
// ---------------------------------------------------------------------------------------------

/** TFMA `GenericValueThreshold`: passes iff `lowerBound ≤ value ≤ upperBound` (inclusive; unset = ∓∞). */
export const ZValueThreshold = z
  .strictObject({ lowerBound: z.number().optional(), upperBound: z.number().optional() })
  .superRefine((t, ctx) => {
    if (t.lowerBound === undefined && t.upperBound === undefined) {
      // TFMA would accept this and always pass; a bound-less threshold is a config mistake.
      ctx.addIssue({ code: 'custom', message: 'a value threshold needs lowerBound and/or upperBound' });
    }
    if (t.lowerBound !== undefined && t.upperBound !== undefined && t.lowerBound > t.upperBound) {
      ctx.addIssue({
        code: 'custom',
        message: `lowerBound (${t.lowerBound}) is greater than upperBound (${t.upperBound}), so no value can pass`,
      });
    }
  });
export type TValueThreshold = z.infer<typeof ZValueThreshold>;

export const ZMetricDirection = z.enum(['higher_is_better', 'lower_is_better']);
export type TMetricDirection = z.infer<typeof ZMetricDirection>;

/**
 * TFMA `GenericChangeThreshold`, checked on `diff = candidate − baseline`:
 * `absolute`: higher_is_better ⇒ diff ≥ absolute; lower_is_better ⇒ diff ≤ absolute.
 * `relative`: ratio = diff / baseline (NaN, so failing, when baseline = 0); higher ⇒ ratio ≥ relative, lower ⇒ ratio ≤ relative.
 * Both set ⇒ both must pass. `{ absolute: -1e-10, direction: 'higher_is_better' }` means "not worse than the baseline".
 */
export const ZChangeThreshold = z
  .strictObject({
    direction: ZMetricDirection,
    absolute: z.number().optional(),
    relative: z.number().optional(),
  })
  .superRefine((t, ctx) => {
    if (t.absolute === undefined && t.relative === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a change threshold needs absolute and/or relative' });
    }
  });
export type TChangeThreshold = z.infer<typeof ZChangeThreshold>;

export const ZMetricThreshold = z
  .strictObject({
    /** Flat metric name as computed: `accuracy`, `auc`, `recall/Adelie`, `rmse`, … */
    metric: z.string().min(1),
    /**
     * Slice keys this threshold applies to (`Overall`, `Island:Biscoe`, or `Island:*` for every slice of
     * a feature, like a TFMA SlicingSpec with only `feature_keys`). Unset: every slice (TFMA
     * `MetricsSpec.thresholds`). A listed slice that was not computed fails validation (TFMA `missing_slices`).
     */
    slices: z.array(z.string().min(1)).min(1).optional(),
    value: ZValueThreshold.optional(),
    change: ZChangeThreshold.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.value === undefined && t.change === undefined) {
      ctx.addIssue({ code: 'custom', message: `threshold on "${t.metric}" needs a value and/or a change threshold` });
    }
  });
export type TMetricThreshold = z.infer<typeof ZMetricThreshold>;

/** The evaluate stage's threshold config. An empty list means "not validated", so NOT blessed. */
export const ZThresholdConfig = z.strictObject({
  thresholds: z.array(ZMetricThreshold).default([]),
});
export type TThresholdConfig = z.infer<typeof ZThresholdConfig>;
/** What a caller may pass (before defaults): `thresholds` may be omitted. */
export type TThresholdConfigInput = z.input<typeof ZThresholdConfig>;

// ---------------------------------------------------------------------------------------------
// Blessing (blessing.json)
// ---------------------------------------------------------------------------------------------

export const ZCheckedThreshold = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('value'), lowerBound: z.number().nullable(), upperBound: z.number().nullable() }),
  z.object({
    kind: z.literal('change'),
    direction: ZMetricDirection,
    absolute: z.number().nullable(),
    relative: z.number().nullable(),
  }),
]);
export type TCheckedThreshold = z.infer<typeof ZCheckedThreshold>;

export const ZThresholdCheck = z.object({
  /** Slice key the check ran on (or the configured key that matched no slice). */
  slice: z.string(),
  metric: z.string(),
  threshold: ZCheckedThreshold,
  /** `skipped`: a change threshold with no baseline (rubber stamp). */
  status: z.enum(['passed', 'failed', 'skipped']),
  passed: z.boolean(),
  /** Candidate value; null when the metric or slice was not found. */
  value: z.number().nullable(),
  baselineValue: z.number().nullable().optional(),
  /** candidate − baseline (change thresholds only). */
  diff: z.number().nullable().optional(),
  /** diff / baseline; null when it is NaN (baseline 0) or not computed. */
  relativeDiff: z.number().nullable().optional(),
  /** One human sentence: what was checked, what was observed, why it passed or failed. */
  reason: z.string(),
});
export type TThresholdCheck = z.infer<typeof ZThresholdCheck>;

/** `blessing.json`. Only `blessed: true` lets the export stage push the model (TFX Pusher `blessed == 1`). */
export const ZBlessing = z.object({
  schemaVersion: z.literal(EVALUATION_SCHEMA_VERSION),
  blessed: z.boolean(),
  /** No baseline: change thresholds were skipped, value thresholds checked (TFX rubber stamp). */
  rubberStamped: z.boolean(),
  hasBaseline: z.boolean(),
  /** False when no thresholds were configured (TFX then writes no blessing, so nothing is pushed). */
  isValidated: z.boolean(),
  message: z.string(),
  results: z.array(ZThresholdCheck),
  /** Problems that do not fail validation but a reviewer should see (e.g. baseline on different data). */
  warnings: z.array(z.string()),
});
export type TBlessing = z.infer<typeof ZBlessing>;
