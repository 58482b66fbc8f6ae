import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { nativeBackend } from '../native-backend';
import { releaseNativeSlots } from '../native-adam';
import { disposeCreated, graphFunctionsEnabled, innerModel, signatureOf } from './compiled-model';
import { StableTraceCache } from './stable-trace';

/** tfjs-layers internals a training step uses (what `trainOnBatch` does, without reading the loss back in between). */
type TrainableModel = LayersModel & {
  standardizeUserData(x: tf.Tensor[], y: tf.Tensor[]): Promise<[tf.Tensor[], tf.Tensor[]]>;
  makeTrainFunction(): (data: tf.Tensor[]) => tf.Scalar[];
};
type OptimizerInternals = tf.Optimizer & { incrementIterations(): void; learningRate?: number };

/** The variables the step assigned, in the order of the extra outputs. */
type StepPlan = { results: number; assigned: tf.Variable[] };

/**
 * `model.trainOnBatch` as one TensorFlow graph function per batch signature and learning rate:
 * forward pass, loss and metrics, the gradients tfjs's tape computes, and the optimizer update,
 * recorded once and then run inside TensorFlow without a JavaScript call per op (what Keras's
 * compiled `train_step` does). Every variable the step assigns (weights, optimizer slots, batch
 * norm statistics) is an output, assigned back after each call, so the tfjs model stays the
 * source of truth: checkpoints, early stopping and `getWeights` see every update.
 *
 * Falls back to `trainOnBatch` when graph functions are unavailable, for a batch signature
 * whose traces have not settled yet (the first two steps, the first with a new learning rate),
 * and for models whose step cannot be traced.
 */
export class CompiledTrainStep {
  private cacheInstance: StableTraceCache | undefined;
  private readonly plans = new Map<string, StepPlan>();
  /** Why the last eager step could not be compiled, if it could not. */
  eagerReason: string | undefined;
  /** Steps that ran as a registered graph function. */
  compiledSteps = 0;

  constructor(private readonly model: LayersModel) {}

  async trainOnBatch(inputs: tf.Tensor[], labels: tf.Tensor[]): Promise<number[]> {
    const model = innerModel(this.model) as TrainableModel;
    const optimizer = model.optimizer as OptimizerInternals;
    if (!graphFunctionsEnabled()) return asList(await this.model.trainOnBatch(inputs, labels));
    const [x, y] = await model.standardizeUserData(inputs, labels);
    const args = [...x, ...y];
    // The learning rate is a constant of the graph (tfjs optimizers upload it as a scalar).
    const key = `${signatureOf(args)}|lr=${optimizer.learningRate ?? ''}`;
    // NativeAdam's TensorFlow-side moments go back into its tfjs variables, which the graph updates.
    releaseNativeSlots(optimizer);
    let outputs: tf.Tensor[];
    const compiled = this.cache.ready(key);
    const plan = this.plans.get(key);
    if (compiled && plan && plan.assigned.every((variable) => !variable.isDisposed)) {
      outputs = compiled.call(args);
      plan.assigned.forEach((variable, i) => {
        const value = outputs[plan.results + i] as tf.Tensor;
        variable.assign(value);
        value.dispose();
      });
      optimizer.incrementIterations();
      this.compiledSteps++;
      outputs = outputs.slice(0, plan.results);
    } else {
      outputs = this.traceStep(model, key, args);
    }
    const values = await Promise.all(outputs.map(async (t) => (await t.data())[0] as number));
    tf.dispose(outputs);
    disposeCreated(x, inputs);
    disposeCreated(y, labels);
    return values;
  }

  private get cache(): StableTraceCache {
    this.cacheInstance ??= new StableTraceCache(nativeBackend(), 4);
    return this.cacheInstance;
  }

  dispose(): void {
    this.cacheInstance?.dispose();
    this.plans.clear();
  }

  /** One real step, eager, recorded; the variables it assigns become extra graph outputs. */
  private traceStep(model: TrainableModel, key: string, args: tf.Tensor[]): tf.Tensor[] {
    const train = model.makeTrainFunction();
    let plan: StepPlan = { results: 0, assigned: [] };
    const step = (): tf.Tensor[] => {
      const variables = Object.values(tf.engine().registeredVariables);
      const before = new Map(variables.map((v) => [v, v.dataId]));
      // `args` is the inputs then the targets, as tfjs-layers' train function takes them.
      const results = train(args);
      const assigned = variables.filter((v) => !v.isDisposed && before.get(v) !== v.dataId);
      plan = { results: results.length, assigned };
      return [...results, ...assigned];
    };
    const eager = this.cache.eagerReason(key) !== undefined;
    const outputs = eager ? step() : this.cache.trace(key, args, step);
    this.eagerReason = this.cache.eagerReason(key);
    if (!eager) this.plans.set(key, plan);
    for (const known of this.plans.keys()) if (!this.cache.has(known)) this.plans.delete(known);
    // The extra outputs are the variables themselves: they keep their values.
    return outputs.slice(0, plan.results);
  }
}

function asList(result: number | number[]): number[] {
  return Array.isArray(result) ? result : [result];
}
