import { z } from 'zod';

/**
 * Wire schemas of the evaluate stage: the threshold config the user writes ({@link ZThresholdConfig}),
 * `evaluation.json` ({@link ZEvaluation}) and `blessing.json` ({@link ZBlessing}).
 *
 * zod 4's `z.number()` rejects NaN and ±Infinity, which is what we want: a metric that is undefined
 * on some data is `null` (structured fields) or absent (flat `metrics` map, with the reason in
 * `undefinedMetrics`), never NaN, so every artifact round-trips through JSON unchanged.
 */

/** Version of the `evaluation.json` and `blessing.json` layouts; bump on a breaking change. */
export const EVALUATION_SCHEMA_VERSION = 1 as const;

// ---------------------------------------------------------------------------------------------
// Metrics of one slice
// ---------------------------------------------------------------------------------------------

/** Metric name → value, with stable names (`accuracy`, `precision/<class>`, `macro_f1`, …) that thresholds refer to. */
export const ZFlatMetrics = z.record(z.string(), z.number());
export type TFlatMetrics = z.infer<typeof ZFlatMetrics>;

export const ZClassMetrics = z.object({
  className: z.string(),
  /** tp / (tp + fp), 0 when the class is never predicted (sklearn `zero_division=0`); null when the class neither occurs nor is predicted. */
  precision: z.number().nullable(),
  /** tp / (tp + fn), 0 when the class never occurs (sklearn `zero_division=0`); null when it neither occurs nor is predicted. */
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
  /** Bin m holds confidences in `(lower, upper]`; the first bin also holds exactly 0. */
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

/** Classification metrics of one slice. */
export const ZClassificationMetrics = z.object({
  exampleCount: z.number().int().positive(),
  /** Mean categorical cross-entropy with Keras's clipping (probabilities clipped to [1e-7, 1 − 1e-7]). */
  loss: z.number(),
  accuracy: z.number(),
  /** One entry per class, in class order. */
  perClass: z.array(ZClassMetrics),
  /** Unweighted mean over the classes that occur or are predicted (sklearn `average='macro'`, `labels=None`). */
  macro: ZAveragedMetrics,
  /** Support-weighted mean over the same classes (sklearn `average='weighted'`). */
  weighted: ZAveragedMetrics,
  /** k × k counts, `confusionMatrix[trueClass][predictedClass]`. */
  confusionMatrix: z.array(z.array(z.number().int().nonnegative())),
  /**
   * k = 2: ROC AUC of the second class's probability. k > 2: one-vs-rest macro AUC.
   * Null when undefined: a class with no positives or no negatives in this slice.
   */
  auc: z.number().nullable(),
  /** k > 2: one-vs-rest ROC AUC of each class (null where undefined); null for k = 2. */
  aucPerClass: z.array(z.number().nullable()).nullable(),
  calibration: ZCalibration,
  /** Every metric above under a stable flat name; undefined metrics are absent and listed in `undefinedMetrics`. */
  metrics: ZFlatMetrics,
  /** Metric name → why it is undefined on this slice, so a threshold on it can say more than "not found". */
  undefinedMetrics: z.record(z.string(), z.string()),
});
export type TClassificationMetrics = z.infer<typeof ZClassificationMetrics>;

// ---------------------------------------------------------------------------------------------
// Slices and evaluation.json
// ---------------------------------------------------------------------------------------------

/** A value an example has for a slicing feature. */
export const ZSliceValue = z.union([z.string(), z.number()]);
export type TSliceValue = z.infer<typeof ZSliceValue>;

export const ZSliceMetrics = z.object({
  /** TFMA-style slice key: `Overall`, `island:Biscoe`, `species:Adelie`. */
  key: z.string(),
  /** Slicing feature; null for Overall. The label feature for per-label slices. */
  feature: z.string().nullable(),
  /** The feature's value (the class name for per-label slices); null for Overall. */
  value: ZSliceValue.nullable(),
  metrics: ZClassificationMetrics,
});
export type TSliceMetrics = z.infer<typeof ZSliceMetrics>;

export const ZSlicingFeatureSummary = z.object({
  feature: z.string(),
  /** Slices made from this feature: one per distinct value. */
  sliceCount: z.number().int().nonnegative(),
  /** Examples with no value (null, undefined or NaN); like TFMA they belong to no slice of this feature. */
  missingCount: z.number().int().nonnegative(),
});
export type TSlicingFeatureSummary = z.infer<typeof ZSlicingFeatureSummary>;

/** Identifies an evaluated model, as the caller names it (artifact id; serving version once pushed). */
export const ZModelRef = z.object({
  id: z.string().min(1),
  servingVersion: z.number().int().positive().optional(),
});
export type TModelRef = z.infer<typeof ZModelRef>;

/** candidate − baseline of one metric on one slice. */
export const ZMetricDiff = z.object({
  candidate: z.number().nullable(),
  baseline: z.number().nullable(),
  /** candidate − baseline; null when either is missing. */
  diff: z.number().nullable(),
  /** (candidate − baseline) / baseline, as TFMA computes "relative"; null when the baseline is 0 or either is missing. */
  relativeDiff: z.number().nullable(),
});
export type TMetricDiff = z.infer<typeof ZMetricDiff>;

export const ZBaselineComparison = z.object({
  baselineModel: ZModelRef.nullable(),
  baselineExampleCount: z.number().int().positive(),
  /** Per candidate slice (same order), metric name → diff, over the metrics either model has. */
  slices: z.array(z.object({ key: z.string(), inBaseline: z.boolean(), metrics: z.record(z.string(), ZMetricDiff) })),
  /** Slices the baseline has and the candidate does not. */
  baselineOnlySlices: z.array(z.string()),
});
export type TBaselineComparison = z.infer<typeof ZBaselineComparison>;

/** `evaluation.json`: classification metrics of one model on the eval split, overall and per slice. */
export const ZEvaluation = z.object({
  schemaVersion: z.literal(EVALUATION_SCHEMA_VERSION),
  task: z.literal('classification'),
  model: ZModelRef.nullable(),
  classNames: z.array(z.string()).min(2),
  exampleCount: z.number().int().positive(),
  slicing: z.object({
    features: z.array(ZSlicingFeatureSummary),
    /** The feature name per-label slices are keyed by; null when not sliced by label. */
    labelFeature: z.string().nullable(),
  }),
  overall: ZSliceMetrics,
  /** Per feature in the order given (values sorted), then per label in class order. Overall is not repeated here. */
  slices: z.array(ZSliceMetrics),
  /** Set by the evaluate stage when a baseline model was evaluated on the same data. */
  baselineComparison: ZBaselineComparison.nullable(),
});
export type TEvaluation = z.infer<typeof ZEvaluation>;

// ---------------------------------------------------------------------------------------------
// Thresholds (the user's config)
// ---------------------------------------------------------------------------------------------

/**
 * Which slice a threshold applies to, like a TFMA `SlicingSpec`: `{}` is the Overall slice,
 * `{ feature }` every slice of that feature, `{ feature, value }` one slice. Values compare as text,
 * so `2008` and `'2008'` name the same slice.
 */
export const ZSliceSpec = z
  .strictObject({ feature: z.string().min(1).optional(), value: ZSliceValue.optional() })
  .refine((s) => s.value === undefined || s.feature !== undefined, { message: 'a slice value needs its feature' });
export type TSliceSpec = z.infer<typeof ZSliceSpec>;

/** TFMA `GenericValueThreshold`: passes iff `lower ≤ value ≤ upper`, inclusive; an unset bound is ∓∞. */
export const ZValueThreshold = z
  .strictObject({ lower: z.number().optional(), upper: z.number().optional() })
  .superRefine((t, ctx) => {
    // TFMA accepts a bound-less threshold and always passes it; here it is a config mistake.
    if (t.lower === undefined && t.upper === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a value threshold needs lower and/or upper' });
    }
    if (t.lower !== undefined && t.upper !== undefined && t.lower > t.upper) {
      ctx.addIssue({ code: 'custom', message: `lower (${t.lower}) is greater than upper (${t.upper}), so no value can pass` });
    }
  });
export type TValueThreshold = z.infer<typeof ZValueThreshold>;

/** TFMA `MetricDirection` (its `UNKNOWN` is not accepted: a change threshold needs a direction). */
export const ZMetricDirection = z.enum(['HIGHER_IS_BETTER', 'LOWER_IS_BETTER']);
export type TMetricDirection = z.infer<typeof ZMetricDirection>;

/**
 * TFMA `GenericChangeThreshold`, checked on `d = candidate − baseline`:
 * `absolute`: HIGHER_IS_BETTER ⇒ d ≥ absolute; LOWER_IS_BETTER ⇒ d ≤ absolute.
 * `relative`: r = d / baseline (NaN, so failing, when the baseline is 0); HIGHER ⇒ r ≥ relative; LOWER ⇒ r ≤ relative.
 * Both set ⇒ both must pass. `{ direction: 'HIGHER_IS_BETTER', absolute: -1e-10 }` means "not worse than the baseline".
 */
export const ZChangeThreshold = z
  .strictObject({ direction: ZMetricDirection, absolute: z.number().optional(), relative: z.number().optional() })
  .superRefine((t, ctx) => {
    if (t.absolute === undefined && t.relative === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a change threshold needs absolute and/or relative' });
    }
  });
export type TChangeThreshold = z.infer<typeof ZChangeThreshold>;

export const ZMetricThreshold = z
  .strictObject({
    /** Flat metric name as computed: `accuracy`, `loss`, `auc`, `recall/<class>`, `macro_f1`, … */
    metric: z.string().min(1),
    /** Unset: every slice, Overall included (TFMA `MetricsSpec.thresholds`). Set: only matching slices (`per_slice_thresholds`). */
    slice: ZSliceSpec.optional(),
    value: ZValueThreshold.optional(),
    change: ZChangeThreshold.optional(),
  })
  .superRefine((t, ctx) => {
    if (t.value === undefined && t.change === undefined) {
      ctx.addIssue({ code: 'custom', message: `threshold on "${t.metric}" needs a value and/or a change threshold` });
    }
  });
export type TMetricThreshold = z.infer<typeof ZMetricThreshold>;

/** The evaluate stage's threshold config. No thresholds means no validation, so the model is NOT blessed. */
export const ZThresholdConfig = z.strictObject({
  thresholds: z.array(ZMetricThreshold).default([]),
});
export type TThresholdConfig = z.output<typeof ZThresholdConfig>;
/** What a caller may pass before defaults: `thresholds` may be omitted. */
export type TThresholdConfigInput = z.input<typeof ZThresholdConfig>;

// ---------------------------------------------------------------------------------------------
// Blessing (blessing.json)
// ---------------------------------------------------------------------------------------------

export const ZThresholdCheck = z.object({
  /** Index of the threshold in the config, so the UI can point at the line the user wrote. */
  thresholdIndex: z.number().int().nonnegative(),
  metric: z.string(),
  /** Slice key the check ran on; for a slice spec no slice matched, the spec's description. */
  slice: z.string(),
  kind: z.enum(['value', 'change']),
  /** The configured threshold this check applied (the one matching `kind`). */
  valueThreshold: ZValueThreshold.optional(),
  changeThreshold: ZChangeThreshold.optional(),
  /** `skipped`: a change threshold with no baseline (rubber stamp). */
  status: z.enum(['passed', 'failed', 'skipped']),
  /** Candidate value; null when the metric or slice was not found. */
  candidate: z.number().nullable(),
  /** Change thresholds only. */
  baseline: z.number().nullable().optional(),
  /** candidate − baseline (change thresholds only). */
  diff: z.number().nullable().optional(),
  /** diff / baseline; null when the baseline is 0 (TFMA's NaN) or not found. */
  relativeDiff: z.number().nullable().optional(),
  /** One sentence: metric, slice, observed value, bound, baseline, and why it passed or failed. */
  reason: z.string(),
});
export type TThresholdCheck = z.infer<typeof ZThresholdCheck>;

/** `blessing.json`. Only `blessed: true` lets the model be pushed (TFX Pusher: `blessed == 1`). */
export const ZBlessing = z.object({
  schemaVersion: z.literal(EVALUATION_SCHEMA_VERSION),
  blessed: z.boolean(),
  /** False when no thresholds were configured (TFX then writes no blessing at all, so nothing is pushed). */
  validated: z.boolean(),
  /** No baseline: change thresholds were skipped and only value thresholds checked (TFX rubber stamp). */
  rubberStamped: z.boolean(),
  /** TFX's blessing message. */
  message: z.string(),
  /** Why the model is not blessed: one line per failed check (empty when blessed). */
  reasons: z.array(z.string()),
  checks: z.array(ZThresholdCheck),
  candidateModel: ZModelRef.nullable(),
  baselineModel: ZModelRef.nullable(),
  /** Things a reviewer should see that do not fail validation (e.g. the baseline was evaluated on other data). */
  warnings: z.array(z.string()),
});
export type TBlessing = z.infer<typeof ZBlessing>;
