import { parseOrThrow } from '@tsfx/shared';
import { allSlices, metricDiff } from './baseline-comparison';
import { formatDistinct, formatSigned } from './format-number';
import {
  EVALUATION_SCHEMA_VERSION,
  ZThresholdConfig,
  type TBlessing,
  type TChangeThreshold,
  type TEvaluation,
  type TMetricThreshold,
  type TSliceMetrics,
  type TThresholdCheck,
  type TThresholdConfigInput,
  type TValueThreshold,
} from './schemas';
import { describeSliceSpec, sliceMatchesSpec } from './slice-keys';

/**
 * Blessing with the semantics of the TFX Evaluator + TFMA's metrics validator
 * (tfx/components/evaluator/executor.py, tensorflow_model_analysis/evaluators/metrics_validator.py):
 *
 * - No thresholds → no validation → not blessed ("to avoid accidentally blessing models when users
 *   forget to set thresholds"). TFX writes no blessing at all then; we write `blessed: false` with that reason.
 * - No baseline → rubber stamp: change thresholds are dropped, value thresholds checked. If that leaves
 *   no thresholds, TFX again does not validate (run_validation is computed after the drop).
 * - A threshold without a slice applies to every computed slice, Overall included; one with a slice
 *   spec to the matching slices, and a spec that matches none fails (TFMA `missing_slices`).
 * - A metric the candidate (or, for change thresholds, the baseline) lacks fails ("Metric not found.").
 * - Any failure → not blessed.
 */

/** TFX's blessing messages (tfx/components/evaluator/constants.py), plus the two cases TFX leaves unwritten. */
export const BLESSING_MESSAGES = {
  rubberStampedBlessed:
    'The model was rubber stamped (no baseline models found) and blessed. Any change thresholds were ignored, but value thresholds were checked and passed.',
  rubberStampedNotBlessed:
    'The model was rubber stamped (no baseline models found) and not blessed. Any change thresholds were ignored, but value thresholds were checked and failed.',
  notRubberStampedNotBlessed:
    'The model was not rubber stamped (a baseline model was found) and not blessed. Change thresholds and value thresholds were checked and there were failures.',
  notRubberStampedBlessed:
    'The model was not rubber stamped (a baseline model was found) and blessed. Change thresholds and value thresholds were checked and passed.',
  noThresholds:
    'The model was not validated and is not blessed: no thresholds are configured. Thresholds are required to avoid accidentally blessing models when users forget to set thresholds.',
  onlyChangeThresholdsWithoutBaseline:
    'The model was not validated and is not blessed: only change thresholds are configured and no baseline model was found, so rubber stamping ignored them all and no thresholds were left to check. Add value thresholds; thresholds are required to avoid accidentally blessing models when users forget to set thresholds.',
} as const;

/**
 * Decides whether `candidate` is blessed. `baseline` is the evaluation of the latest blessed model
 * on the same data, or undefined on the first run. `config` is parsed here (INVALID_INPUT on a bad one).
 */
export function decideBlessing(candidate: TEvaluation, baseline: TEvaluation | undefined, config: TThresholdConfigInput): TBlessing {
  const { thresholds } = parseOrThrow(ZThresholdConfig, config, 'threshold config');
  const rubberStamped = baseline === undefined;
  const base = {
    schemaVersion: EVALUATION_SCHEMA_VERSION,
    candidateModel: candidate.model,
    baselineModel: baseline?.model ?? null,
    warnings: baseline ? baselineWarnings(candidate, baseline) : [],
  };

  const remaining = rubberStamped ? thresholds.filter((t) => t.value !== undefined) : thresholds;
  if (remaining.length === 0) {
    const message = thresholds.length === 0 ? BLESSING_MESSAGES.noThresholds : BLESSING_MESSAGES.onlyChangeThresholdsWithoutBaseline;
    const checks = thresholds.map((t, i) => skippedChangeCheck(t, i, t.change as TChangeThreshold));
    return { ...base, blessed: false, validated: false, rubberStamped, message, reasons: [message], checks };
  }

  const checks = thresholds.flatMap((threshold, index) => checkThreshold(threshold, index, candidate, baseline));
  const failed = checks.filter((c) => c.status === 'failed');
  const blessed = failed.length === 0;
  const message = rubberStamped
    ? blessed
      ? BLESSING_MESSAGES.rubberStampedBlessed
      : BLESSING_MESSAGES.rubberStampedNotBlessed
    : blessed
      ? BLESSING_MESSAGES.notRubberStampedBlessed
      : BLESSING_MESSAGES.notRubberStampedNotBlessed;
  return { ...base, blessed, validated: true, rubberStamped, message, reasons: failed.map((c) => c.reason), checks };
}

/** The checks one configured threshold yields: its value part and its change part, on every slice it applies to. */
function checkThreshold(threshold: TMetricThreshold, index: number, candidate: TEvaluation, baseline: TEvaluation | undefined): TThresholdCheck[] {
  const slices = threshold.slice === undefined ? allSlices(candidate) : allSlices(candidate).filter((s) => sliceMatchesSpec(s, threshold.slice!));
  const checks: TThresholdCheck[] = [];
  const { value, change } = threshold;
  if (value !== undefined) {
    if (slices.length === 0) checks.push(missingSliceCheck(threshold, index, 'value', candidate));
    for (const slice of slices) checks.push(checkValue(threshold.metric, index, value, slice, candidate));
  }
  if (change !== undefined) {
    if (baseline === undefined) checks.push(skippedChangeCheck(threshold, index, change));
    else if (slices.length === 0) checks.push(missingSliceCheck(threshold, index, 'change', candidate));
    else for (const slice of slices) checks.push(checkChange(threshold.metric, index, change, slice, candidate, baseline));
  }
  return checks;
}

/** TFMA `GenericValueThreshold`: lower ≤ v ≤ upper, both inclusive, an unset bound being ∓∞. */
function checkValue(metric: string, thresholdIndex: number, threshold: TValueThreshold, slice: TSliceMetrics, candidate: TEvaluation): TThresholdCheck {
  const base = { thresholdIndex, metric, slice: slice.key, kind: 'value' as const, valueThreshold: threshold };
  const v = slice.metrics.metrics[metric];
  if (v === undefined) {
    return { ...base, status: 'failed', candidate: null, reason: `${metric} on slice ${slice.key}: ${notFound(metric, slice, candidate, 'candidate')}` };
  }
  const lower = threshold.lower ?? -Infinity;
  const upper = threshold.upper ?? Infinity;
  const [vText, lowerText, upperText] = formatDistinct([v, lower, upper]) as [string, string, string];
  const bounds = `[${lowerText}, ${upperText}]`;
  const subject = `${metric} on slice ${slice.key} is ${vText}`;
  if (v < lower) return { ...base, status: 'failed', candidate: v, reason: `${subject}, below the lower bound ${lowerText} (value threshold ${bounds})` };
  if (v > upper) return { ...base, status: 'failed', candidate: v, reason: `${subject}, above the upper bound ${upperText} (value threshold ${bounds})` };
  return { ...base, status: 'passed', candidate: v, reason: `${subject}, within the value threshold ${bounds}` };
}

/**
 * TFMA `GenericChangeThreshold` on d = candidate − baseline: `absolute` HIGHER ⇒ d ≥ absolute,
 * LOWER ⇒ d ≤ absolute; `relative` on r = d / baseline the same way; both must pass when both are set.
 * A baseline of exactly 0 makes r NaN, which fails the relative part. (TFMA also fails an
 * absolute-only threshold then, because it compares the NaN ratio against an implicit ∓∞; we judge
 * the absolute part on its own, as the threshold's definition says.)
 */
function checkChange(
  metric: string,
  thresholdIndex: number,
  threshold: TChangeThreshold,
  slice: TSliceMetrics,
  candidate: TEvaluation,
  baseline: TEvaluation,
): TThresholdCheck {
  const base = { thresholdIndex, metric, slice: slice.key, kind: 'change' as const, changeThreshold: threshold };
  const c = slice.metrics.metrics[metric];
  const baselineSlice = allSlices(baseline).find((s) => s.key === slice.key);
  const b = baselineSlice?.metrics.metrics[metric];
  const subject = `${metric} on slice ${slice.key}`;
  if (c === undefined || b === undefined) {
    const missing =
      c === undefined
        ? notFound(metric, slice, candidate, 'candidate')
        : baselineSlice === undefined
          ? `slice ${slice.key} not found in the baseline's evaluation`
          : notFound(metric, baselineSlice, baseline, 'baseline');
    return { ...base, status: 'failed', candidate: c ?? null, baseline: b ?? null, diff: null, relativeDiff: null, reason: `${subject}: ${missing}` };
  }

  const { diff, relativeDiff } = metricDiff(c, b) as { diff: number; relativeDiff: number | null };
  const higher = threshold.direction === 'HIGHER_IS_BETTER';
  const [cText, bText, dText, rText, absText, relText] = formatDistinct([c, b, diff, relativeDiff ?? NaN, threshold.absolute ?? NaN, threshold.relative ?? NaN]) as string[];
  const op = higher ? '≥' : '≤';
  const parts: { passed: boolean; text: string }[] = [];
  if (threshold.absolute !== undefined) {
    const passed = higher ? diff >= threshold.absolute : diff <= threshold.absolute;
    parts.push({ passed, text: `change ${formatSigned(dText as string)} ${passed ? op : `is not ${op}`} absolute ${absText}` });
  }
  if (threshold.relative !== undefined) {
    if (relativeDiff === null) {
      parts.push({ passed: false, text: `relative change is undefined (NaN) because the baseline is 0, so relative ${relText} cannot pass` });
    } else {
      const passed = higher ? relativeDiff >= threshold.relative : relativeDiff <= threshold.relative;
      parts.push({ passed, text: `relative change (c − b)/b = ${formatSigned(rText as string)} ${passed ? op : `is not ${op}`} relative ${relText}` });
    }
  }
  const passed = parts.every((p) => p.passed);
  const shown = passed ? parts : parts.filter((p) => !p.passed);
  const reason = `${subject}: candidate ${cText} vs baseline ${bText}, ${shown.map((p) => p.text).join(' and ')} (${threshold.direction})`;
  return { ...base, status: passed ? 'passed' : 'failed', candidate: c, baseline: b, diff, relativeDiff, reason };
}

function skippedChangeCheck(threshold: TMetricThreshold, thresholdIndex: number, change: TChangeThreshold): TThresholdCheck {
  const where = describeSliceSpec(threshold.slice);
  return {
    thresholdIndex,
    metric: threshold.metric,
    slice: where,
    kind: 'change',
    changeThreshold: change,
    status: 'skipped',
    candidate: null,
    reason: `change threshold on ${threshold.metric} (${where}) ignored: no baseline model was found, so the model was rubber stamped and only value thresholds were checked`,
  };
}

function missingSliceCheck(threshold: TMetricThreshold, thresholdIndex: number, kind: 'value' | 'change', candidate: TEvaluation): TThresholdCheck {
  const where = describeSliceSpec(threshold.slice);
  const available = allSlices(candidate).map((s) => s.key);
  return {
    thresholdIndex,
    metric: threshold.metric,
    slice: where,
    kind,
    ...(kind === 'value' ? { valueThreshold: threshold.value } : { changeThreshold: threshold.change }),
    status: 'failed',
    candidate: null,
    reason: `${threshold.metric} on slice ${where}: no such slice was computed (slices: ${abbreviate(available)})`,
  };
}

/** Why a metric is missing: undefined on this slice (with the reason), or not a metric we compute at all. */
function notFound(metric: string, slice: TSliceMetrics, evaluation: TEvaluation, whose: 'candidate' | 'baseline'): string {
  const why = slice.metrics.undefinedMetrics[metric];
  if (why !== undefined) return `metric not found in the ${whose}'s evaluation: ${why}`;
  const known = Object.keys(evaluation.overall.metrics.metrics);
  return `metric not found in the ${whose}'s evaluation (metrics are: ${abbreviate(known)})`;
}

function baselineWarnings(candidate: TEvaluation, baseline: TEvaluation): string[] {
  const warnings: string[] = [];
  if (candidate.exampleCount !== baseline.exampleCount) {
    warnings.push(
      `The baseline was evaluated on ${baseline.exampleCount} examples and the candidate on ${candidate.exampleCount}: change thresholds compare metrics of different data.`,
    );
  }
  if (candidate.classNames.join('\u0000') !== baseline.classNames.join('\u0000')) {
    warnings.push(`The baseline's classes (${baseline.classNames.join(', ')}) differ from the candidate's (${candidate.classNames.join(', ')}).`);
  }
  return warnings;
}

function abbreviate(names: readonly string[], max = 20): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')}, … (${names.length - max} more)`;
}
