import type * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import type { layers } from '@tensorflow/tfjs-layers';
import { PipelineError } from '@tsfx/shared';
import type { z } from 'zod';
import { BUILTIN_LOSSES, BUILTIN_METRICS } from './builtin-names';
import { BUILTIN_LAYER_TYPES, isBuiltinLayerType } from './layer-configs';

/**
 * Names a model or compile spec may use beyond the built-ins: custom layers, losses and metrics
 * (Keras's `custom_objects`, kept in one process-wide registry). A custom layer is also
 * registered with TF.js's serialization map under its `className`, so a saved model that
 * contains it loads back by name with `loadLayersModel`, as long as the module that registers
 * it was imported first.
 */

/** A layer class a spec can name: a tfjs `Layer` subclass with a static `className`. */
export type TCustomLayerClass = {
  new (config: Record<string, unknown>): layers.Layer;
  readonly className: string;
};

export type TCustomLayerOptions = {
  /** Validates the layer's `config` in a spec, so a bad spec fails before any tensor is made. */
  configSchema?: z.ZodType;
  /** How many inputs the layer takes from `inbound` (default 1). */
  inputs?: number | 'any';
};

export type TCustomLayerEntry = { cls: TCustomLayerClass; configSchema?: z.ZodType; inputs: number | 'any' };

/** `(labels, predictions) → per-example values`, averaged by tfjs-layers like its own losses and metrics. */
export type TLossOrMetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

const customLayers = new Map<string, TCustomLayerEntry>();
const customLosses = new Map<string, TLossOrMetricFn>();
const customMetrics = new Map<string, TLossOrMetricFn>();

function conflict(what: string, name: string): PipelineError {
  return new PipelineError('CONFLICT', `a different ${what} is already registered as '${name}'`, {
    expected: `a new name, or the same ${what} registered again`,
    received: name,
  });
}

function checkName(what: string, name: string): void {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
    throw new PipelineError('INVALID_INPUT', `invalid ${what} name '${name}'`, {
      expected: 'a letter followed by letters, digits or underscores',
      received: JSON.stringify(name),
    });
  }
}

/**
 * Makes `cls` usable as a layer `type` in model specs (under `cls.className`) and loadable from
 * saved models. Registering the same class twice is a no-op; another class under a taken name,
 * or a built-in layer's name, is a `CONFLICT`.
 */
export function registerCustomLayer(cls: TCustomLayerClass, options: TCustomLayerOptions = {}): void {
  const name = cls.className;
  checkName('layer', name);
  if (isBuiltinLayerType(name)) throw conflict('built-in layer', name);
  const existing = customLayers.get(name);
  if (existing && existing.cls !== cls) throw conflict('layer class', name);
  // tfjs's map takes any Serializable constructor; a Layer subclass is one.
  serialization.registerClass(cls as unknown as serialization.SerializableConstructor<layers.Layer>);
  customLayers.set(name, {
    cls,
    ...(options.configSchema ? { configSchema: options.configSchema } : {}),
    inputs: options.inputs ?? 1,
  });
}

export function getCustomLayer(name: string): TCustomLayerEntry | undefined {
  return customLayers.get(name);
}

export function customLayerNames(): string[] {
  return [...customLayers.keys()].sort();
}

/** Every layer type a spec may name, for error messages. */
export function knownLayerTypes(): string {
  const custom = customLayerNames();
  return `${BUILTIN_LAYER_TYPES.join(', ')}${custom.length > 0 ? `, or a registered custom layer (${custom.join(', ')})` : ''}`;
}

/** A loss a compile spec can name. `fn(yTrue, yPred)` gets labels as tsfx feeds them: `[batch, 1]` class ids. */
export function registerLoss(name: string, fn: TLossOrMetricFn): void {
  checkName('loss', name);
  if ((BUILTIN_LOSSES as readonly string[]).includes(name)) throw conflict('built-in loss', name);
  const existing = customLosses.get(name);
  if (existing && existing !== fn) throw conflict('loss', name);
  customLosses.set(name, fn);
}

export function getCustomLoss(name: string): TLossOrMetricFn | undefined {
  return customLosses.get(name);
}

export function customLossNames(): string[] {
  return [...customLosses.keys()].sort();
}

/** A metric a compile spec can name; it is reported under `name` in the training logs. */
export function registerMetric(name: string, fn: TLossOrMetricFn): void {
  checkName('metric', name);
  if ((BUILTIN_METRICS as readonly string[]).includes(name)) throw conflict('built-in metric', name);
  const existing = customMetrics.get(name);
  if (existing && existing !== fn) throw conflict('metric', name);
  customMetrics.set(name, fn);
}

export function getCustomMetric(name: string): TLossOrMetricFn | undefined {
  return customMetrics.get(name);
}

export function customMetricNames(): string[] {
  return [...customMetrics.keys()].sort();
}
