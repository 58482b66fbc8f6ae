import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { nativeBackend } from '../native-backend';
import { supportsGraphFunctions } from './graph-function';
import { StableTraceCache } from './stable-trace';

let allowed = true;

/** Turns graph functions off (every op runs eagerly, as in stock tfjs-node) or back on; `selectBackend` sets it. */
export function allowGraphFunctions(allow: boolean): void {
  allowed = allow;
}

/** Whether training steps and inference run as graph functions now: allowed, on the tensorflow backend, and built with them. */
export function graphFunctionsEnabled(): boolean {
  if (!allowed || tf.getBackend() !== 'tensorflow') return false;
  return supportsGraphFunctions(nativeBackend());
}

/** What a graph function is specialised to: every argument's dtype and shape (tfjs kernels bake shapes into attributes). */
export function signatureOf(tensors: readonly tf.Tensor[]): string {
  return tensors.map((t) => `${t.dtype}[${t.shape.join(',')}]`).join(';');
}

type Purpose = 'predict' | 'evaluate';
const caches = new WeakMap<LayersModel, Map<Purpose, StableTraceCache>>();

/** A model dropped without releaseGraphFunctions still frees its functions in TensorFlow once collected. */
const collected = new FinalizationRegistry<Map<Purpose, StableTraceCache>>((byPurpose) => {
  for (const cache of byPurpose.values()) cache.dispose();
});

function cacheFor(model: LayersModel, purpose: Purpose): StableTraceCache {
  let byPurpose = caches.get(model);
  if (!byPurpose) {
    byPurpose = new Map();
    caches.set(model, byPurpose);
    collected.register(model, byPurpose, model);
  }
  let cache = byPurpose.get(purpose);
  if (!cache) {
    cache = new StableTraceCache(nativeBackend());
    byPurpose.set(purpose, cache);
  }
  return cache;
}

/** Runs `compute` as the graph function of `key` when there is one, traces it otherwise (eager, in a tidy). */
function runCached(cache: StableTraceCache, key: string, args: readonly tf.Tensor[], compute: () => tf.Tensor[]): tf.Tensor[] {
  const compiled = cache.ready(key);
  if (compiled) return compiled.call(args);
  if (cache.eagerReason(key) !== undefined) return tf.tidy(compute);
  return tf.tidy(() => cache.trace(key, args, compute));
}

/** The functional model a Sequential trains and evaluates through (tfjs-layers delegates to it too). */
export function innerModel(model: LayersModel): LayersModel {
  return model.getClassName() === 'Sequential' ? (model as unknown as { model: LayersModel }).model : model;
}

/** Disposes what tfjs-layers' standardizeUserData made beyond the caller's own tensors. */
export function disposeCreated(standardized: readonly tf.Tensor[], original: readonly tf.Tensor[]): void {
  const kept = new Set(original.map((t) => t.id));
  for (const tensor of standardized) if (!kept.has(tensor.id)) tensor.dispose();
}

/**
 * The model's inference pass (`model.apply` with training off) as one TensorFlow graph function
 * per input signature when the native backend can run them, else as tfjs runs it. Same outputs
 * within float rounding: grappler fuses Conv2D/MatMul + bias + activation into one oneDNN kernel.
 * The weights are captured variables, so training or loading new weights needs no recompile.
 */
export function predictWithGraph(model: LayersModel, inputs: readonly tf.Tensor[]): tf.Tensor[] {
  const eager = (): tf.Tensor[] => {
    const output = model.apply(inputs.length === 1 ? (inputs[0] as tf.Tensor) : (inputs as tf.Tensor[]), { training: false }) as tf.Tensor | tf.Tensor[];
    return Array.isArray(output) ? output : [output];
  };
  if (!graphFunctionsEnabled()) return tf.tidy(eager);
  return runCached(cacheFor(model, 'predict'), signatureOf(inputs), inputs, eager);
}

/** tfjs-layers internals of `model.evaluate` (its private members, reached the way it reaches them). */
type EvaluableModel = {
  standardizeUserDataXY(x: tf.Tensor[], y: tf.Tensor[], checkBatchAxis: boolean, batchSize?: number): [tf.Tensor[], tf.Tensor[]];
  makeTestFunction(): void;
  testFunction: (data: tf.Tensor[]) => tf.Scalar[];
};

/**
 * The compiled loss and metrics of one batch (`model.evaluate` on it: the mean loss, then each
 * metric), as a graph function per batch signature on the native backend.
 */
export function evaluateWithGraph(model: LayersModel, inputs: readonly tf.Tensor[], labels: readonly tf.Tensor[]): tf.Scalar[] {
  if (!graphFunctionsEnabled()) {
    const result = model.evaluate(inputs as tf.Tensor[], labels as tf.Tensor[], { batchSize: inputs[0]?.shape[0] });
    return Array.isArray(result) ? result : [result];
  }
  const inner = innerModel(model) as unknown as EvaluableModel;
  const [x, y] = inner.standardizeUserDataXY(inputs as tf.Tensor[], labels as tf.Tensor[], true, inputs[0]?.shape[0]);
  const args = [...x, ...y];
  const evaluate = (): tf.Tensor[] => {
    // Only eager runs (traces) need tfjs-layers' test function; a registered graph replaces it.
    inner.makeTestFunction();
    return inner.testFunction(args);
  };
  try {
    return runCached(cacheFor(model, 'evaluate'), signatureOf(args), args, evaluate) as tf.Scalar[];
  } finally {
    disposeCreated(x, inputs);
    disposeCreated(y, labels);
  }
}

/** Drops a model's inference and evaluation graph functions; they are rebuilt on the next call. */
export function releaseGraphFunctions(model: LayersModel): void {
  for (const cache of caches.get(model)?.values() ?? []) cache.dispose();
  caches.delete(model);
  collected.unregister(model);
}
