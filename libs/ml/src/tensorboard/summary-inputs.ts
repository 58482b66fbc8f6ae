/** Checks on what callers pass to a SummaryWriter, so bad input fails at the call that made it. */
import { createHash } from 'node:crypto';
import { PipelineError } from '@tsfx/shared';
import type { MetricRef, THParamValue } from './encode-hparams';

/** A metric for `SummaryWriter.hparams`: a tag in this run, or `{ tag, group }` for a tag in the sub-run `group`. */
export type MetricRefInput = string | { tag: string; group?: string };

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function assertTag(tag: unknown): asserts tag is string {
  if (typeof tag !== 'string' || tag.length === 0) {
    throw new PipelineError('INVALID_INPUT', 'summary tag is invalid', { expected: 'a non-empty string', received: describe(tag) });
  }
}

export function assertStep(tag: string, step: unknown): asserts step is number {
  if (typeof step !== 'number' || !Number.isSafeInteger(step)) {
    throw new PipelineError('INVALID_INPUT', `step of '${tag}' is invalid`, { expected: 'a safe integer', received: describe(step) });
  }
}

/** NaN and ±Infinity pass: a diverging loss is worth plotting, and TensorBoard plots them. */
export function assertScalarValue(tag: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') {
    throw new PipelineError('INVALID_INPUT', `scalar '${tag}' is not a number`, { expected: 'a number', received: describe(value) });
  }
}

export function assertWallTimeSecs(tag: string, wallTimeSecs: unknown): asserts wallTimeSecs is number {
  if (typeof wallTimeSecs !== 'number' || !Number.isFinite(wallTimeSecs)) {
    throw new PipelineError('INVALID_INPUT', `wall time of '${tag}' is invalid`, {
      expected: 'finite seconds since the UNIX epoch',
      received: describe(wallTimeSecs),
    });
  }
}

export function checkHParams(hparams: unknown): Readonly<Record<string, THParamValue>> {
  if (typeof hparams !== 'object' || hparams === null || Array.isArray(hparams)) {
    throw new PipelineError('INVALID_INPUT', 'hparams are invalid', { expected: 'an object of name to value', received: describe(hparams) });
  }
  const entries = Object.entries(hparams);
  if (entries.length === 0) {
    throw new PipelineError('INVALID_INPUT', 'hparams are empty', { expected: 'at least one hparam', received: 'none' });
  }
  for (const [name, value] of entries) {
    if (name.length === 0) {
      throw new PipelineError('INVALID_INPUT', 'an hparam name is empty', { expected: 'non-empty names', received: '""' });
    }
    // google.protobuf.Value holds doubles, but its JSON form (which the dashboard uses) has no NaN.
    const valid = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!valid) {
      throw new PipelineError('INVALID_INPUT', `hparam '${name}' has an unsupported value`, {
        expected: 'a string, a boolean or a finite number',
        received: describe(value),
      });
    }
  }
  return hparams as Readonly<Record<string, THParamValue>>;
}

export function checkMetrics(metrics: unknown): MetricRef[] {
  if (!Array.isArray(metrics)) {
    throw new PipelineError('INVALID_INPUT', 'hparams metrics are invalid', { expected: 'an array of metric tags', received: describe(metrics) });
  }
  return metrics.map((metric: unknown, index) => {
    if (typeof metric === 'string' && metric.length > 0) return { tag: metric, group: '' };
    if (typeof metric === 'object' && metric !== null && !Array.isArray(metric)) {
      const { tag, group = '' } = metric as { tag?: unknown; group?: unknown };
      if (typeof tag === 'string' && tag.length > 0 && typeof group === 'string') return { tag, group };
    }
    throw new PipelineError('INVALID_INPUT', `hparams metric ${index} is invalid`, {
      expected: "a non-empty tag or { tag, group?: string }",
      received: describe(metric),
    });
  });
}

/**
 * The session group TensorBoard would derive for these hparams (summary_v2.py
 * `_derive_session_group_name`): a hash of the sorted values, so repeated runs with equal
 * hparams are grouped. JSON number formatting differs from Python's; only equality matters here.
 */
export function deriveSessionGroupName(hparams: Readonly<Record<string, THParamValue>>): string {
  const sorted = Object.fromEntries(Object.entries(hparams).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

/**
 * The Keras model config as JSON text. Takes what TF.js `model.toJSON(null, false)` returns
 * (an object) or its string form; the graphs dashboard needs `class_name` and `config`.
 */
export function kerasModelConfigJson(config: unknown): string {
  let parsed: unknown = config;
  if (typeof config === 'string') {
    try {
      parsed = JSON.parse(config);
    } catch (cause) {
      throw new PipelineError('INVALID_INPUT', 'Keras model config is not valid JSON', {
        expected: 'the JSON of model.toJSON()',
        received: describe(config),
        cause,
      });
    }
  }
  const looksLikeModel =
    typeof parsed === 'object' &&
    parsed !== null &&
    typeof (parsed as { class_name?: unknown }).class_name === 'string' &&
    typeof (parsed as { config?: unknown }).config === 'object';
  if (!looksLikeModel) {
    throw new PipelineError('INVALID_INPUT', 'Keras model config is invalid', {
      expected: 'an object with class_name and config, as model.toJSON(null, false) returns',
      received: describe(parsed),
    });
  }
  return typeof config === 'string' ? config : JSON.stringify(parsed);
}
