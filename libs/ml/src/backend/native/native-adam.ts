import * as tf from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { isTracing } from './graph-function/trace-graph';
import { nativeBackend, type NativeBackend, type NativeOpAttr } from './native-backend';

/** TensorFlow's shared_name for an anonymous resource: owned by its handle, freed with it (what eager tf.Variable uses). */
const ANONYMOUS_RESOURCE = 'cd2c89b7-88b7-44c8-ad83-06c2a9158347';

type TGradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];
type TNamedTensors = Awaited<ReturnType<tf.AdamOptimizer['getWeights']>>;

/** One trained variable's TensorFlow resources: the weight and Adam's two moments. */
type NativeSlot = { weight: number; m: number; v: number; syncedDataId: object };

type AdamInternals = {
  learningRate: number;
  /** The steps taken so far (a getter: the field behind it starts undefined). */
  iterations: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: Variable;
  accBeta2: Variable;
  accumulatedFirstMoment: { originalName: string; variable: Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: Variable }[];
  incrementIterations(): void;
};

/**
 * Adam whose update runs as TensorFlow's fused `ResourceApplyAdam` on the tensorflow backend: 2
 * native ops per variable and step (the update, then reading the weight back) where tfjs's Adam
 * issues ~14 plus a scalar upload per constant — for the Fashion-MNIST CNN a third of the ops of
 * a training step, each paying eager dispatch. Other backends run tfjs's Adam unchanged.
 *
 * Same update as tfjs's Adam: TensorFlow adds ε to √v before bias correction (Keras's
 * formulation, lr·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v+ε)), tfjs after it, which is the same formula with
 * ε·√(1−β₂ᵗ) in place of ε — so that is the ε passed, step by step. (Without it the two differ by
 * 0.3% on a weight whose gradients are ~1e-3.)
 *
 * The class stays tfjs's `Adam` (same name, config and slot layout), so checkpoints, saved
 * optimizers and learning-rate schedules work as before: getWeights reads the moments back from
 * TensorFlow, setWeights (a checkpoint restore) drops the resources so the next step re-creates
 * them from the restored values, and a weight changed behind its back (model.setWeights, early
 * stopping's best weights) is noticed by its data id and copied in before the next update.
 */
export class NativeAdamOptimizer extends tf.AdamOptimizer {
  private slots: (NativeSlot | undefined)[] = [];

  override applyGradients(variableGradients: TGradients): void {
    // A traced training step (graph-function/compiled-train-step.ts) records tfjs's Adam: its
    // update is plain ops on the tfjs variables, which the graph takes in and gives back.
    if (tf.getBackend() !== 'tensorflow' || isTracing()) {
      this.releaseSlots();
      super.applyGradients(variableGradients);
      return;
    }
    const self = this as unknown as AdamInternals;
    const backend = nativeBackend();
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    tf.tidy(() => {
      const step = self.iterations + 1;
      const epsilonHat = self.epsilon * Math.sqrt(1 - self.beta2 ** step);
      const hyper = [tf.scalar(self.learningRate), tf.scalar(self.beta1), tf.scalar(self.beta2), tf.scalar(epsilonHat)];
      names.forEach((name, i) => {
        const weight = tf.engine().registeredVariables[name]!;
        self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(weight).variable(false)) };
        self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(weight).variable(false)) };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
        if (gradient == null) return;
        const slot = this.slotFor(backend, i, weight, self);
        const [lr, beta1, beta2, epsilon] = backend.getInputTensorIds(hyper);
        const [beta1Power, beta2Power, grad] = backend.getInputTensorIds([self.accBeta1, self.accBeta2, gradient]);
        backend.binding.executeOp('ResourceApplyAdam', adamAttrs(backend), [slot.weight, slot.m, slot.v, beta1Power!, beta2Power!, lr!, beta1!, beta2!, epsilon!, grad!], 0);
        const updated = readVariable(backend, slot.weight);
        weight.assign(updated);
        slot.syncedDataId = weight.dataId;
      });
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    self.incrementIterations();
  }

  override async getWeights(): Promise<TNamedTensors> {
    this.copyMomentsBack();
    return super.getWeights();
  }

  override async setWeights(weightValues: TNamedTensors): Promise<void> {
    this.releaseSlots();
    await super.setWeights(weightValues);
  }

  override dispose(): void {
    this.releaseSlots();
    super.dispose();
  }

  /** The variable's resources, created from (or re-synced with) the tfjs values when needed. */
  private slotFor(backend: NativeBackend, index: number, weight: Variable, self: AdamInternals): NativeSlot {
    const existing = this.slots[index];
    if (existing && existing.syncedDataId === weight.dataId) return existing;
    if (existing) {
      assignVariable(backend, existing.weight, weight);
      existing.syncedDataId = weight.dataId;
      return existing;
    }
    const slot: NativeSlot = {
      weight: createVariable(backend, weight),
      m: createVariable(backend, self.accumulatedFirstMoment[index]!.variable),
      v: createVariable(backend, self.accumulatedSecondMoment[index]!.variable),
      syncedDataId: weight.dataId,
    };
    this.slots[index] = slot;
    return slot;
  }

  /** Makes tfjs's moment variables equal TensorFlow's, for getWeights (checkpoints, saving). */
  private copyMomentsBack(): void {
    if (!this.slots.some(Boolean)) return;
    const self = this as unknown as AdamInternals;
    const backend = nativeBackend();
    tf.tidy(() => {
      this.slots.forEach((slot, index) => {
        if (!slot) return;
        self.accumulatedFirstMoment[index]!.variable.assign(readVariable(backend, slot.m));
        self.accumulatedSecondMoment[index]!.variable.assign(readVariable(backend, slot.v));
      });
    });
  }

  /** Copies the moments back into tfjs's variables and frees the TensorFlow resources (re-made on the next native step). */
  releaseSlots(): void {
    if (!this.slots.some(Boolean)) return;
    this.copyMomentsBack();
    const { binding } = nativeBackend();
    for (const slot of this.slots) {
      if (!slot) continue;
      for (const handle of [slot.weight, slot.m, slot.v]) binding.deleteTensor(handle);
    }
    this.slots = [];
  }
}

function adamAttrs(backend: NativeBackend): NativeOpAttr[] {
  const { binding } = backend;
  return [
    { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    { name: 'use_locking', type: binding.TF_ATTR_BOOL, value: false },
    { name: 'use_nesterov', type: binding.TF_ATTR_BOOL, value: false },
  ];
}

function dtypeAttr(backend: NativeBackend): NativeOpAttr {
  return { name: 'dtype', type: backend.binding.TF_ATTR_TYPE, value: backend.binding.TF_FLOAT };
}

/** A resource variable holding a copy of `initial`; returns its handle id. */
function createVariable(backend: NativeBackend, initial: Tensor): number {
  const { binding } = backend;
  const [handle] = binding.executeOp(
    'VarHandleOp',
    [
      dtypeAttr(backend),
      { name: 'shape', type: binding.TF_ATTR_SHAPE, value: initial.shape },
      { name: 'container', type: binding.TF_ATTR_STRING, value: '' },
      { name: 'shared_name', type: binding.TF_ATTR_STRING, value: ANONYMOUS_RESOURCE },
    ],
    [],
    1,
  );
  assignVariable(backend, handle!.id, initial);
  return handle!.id;
}

function assignVariable(backend: NativeBackend, handle: number, value: Tensor): void {
  const [id] = backend.getInputTensorIds([value]);
  backend.binding.executeOp('AssignVariableOp', [dtypeAttr(backend)], [handle, id!], 0);
}

function readVariable(backend: NativeBackend, handle: number): Tensor {
  const [value] = backend.binding.executeOp('ReadVariableOp', [dtypeAttr(backend)], [handle], 1);
  return backend.createOutputTensor(value!);
}

/** Makes `optimizer`'s tfjs variables hold its whole state, when it is a NativeAdamOptimizer holding some in TensorFlow. */
export function releaseNativeSlots(optimizer: tf.Optimizer): void {
  // Not `instanceof`: tfjs's Optimizer answers it for any object with an optimizer's methods.
  if (Object.prototype.isPrototypeOf.call(NativeAdamOptimizer.prototype, optimizer)) (optimizer as NativeAdamOptimizer).releaseSlots();
}
