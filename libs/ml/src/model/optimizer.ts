import * as tf from '@tensorflow/tfjs-core';
import { PipelineError } from '@tsfx/shared';
import { z } from 'zod';
import { NativeAdamOptimizer } from '../backend/native/native-adam';

const learningRate = (fallback: number) => z.number().positive().finite().default(fallback);

/**
 * The optimizer of a compile spec, with Keras's names and defaults. `sgd` with `momentum > 0` is
 * tfjs's MomentumOptimizer (Keras's `SGD(momentum=…)`); `rho` is RMSprop's discount (tfjs's
 * `decay`). `epsilon` defaults to tfjs's backend epsilon (1e-7, as in Keras).
 */
export const ZOptimizerSpec = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('adam'),
    learningRate: learningRate(0.001),
    beta1: z.number().min(0).lt(1).optional(),
    beta2: z.number().min(0).lt(1).optional(),
    epsilon: z.number().positive().optional(),
  }),
  z.strictObject({
    type: z.literal('sgd'),
    learningRate: learningRate(0.01),
    momentum: z.number().min(0).lt(1).optional(),
    nesterov: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal('rmsprop'),
    learningRate: learningRate(0.001),
    rho: z.number().min(0).lt(1).optional(),
    momentum: z.number().min(0).lt(1).optional(),
    epsilon: z.number().positive().optional(),
    centered: z.boolean().optional(),
  }),
]);
export type TOptimizerSpec = z.output<typeof ZOptimizerSpec>;

export function createOptimizer(spec: TOptimizerSpec): tf.Optimizer {
  switch (spec.type) {
    case 'adam':
      // tfjs's Adam everywhere but on the native backend, where the update is one fused op.
      return new NativeAdamOptimizer(spec.learningRate, spec.beta1 ?? 0.9, spec.beta2 ?? 0.999, spec.epsilon);
    case 'sgd':
      if (spec.momentum !== undefined && spec.momentum > 0) return tf.train.momentum(spec.learningRate, spec.momentum, spec.nesterov ?? false);
      if (spec.nesterov) {
        throw new PipelineError('INVALID_INPUT', 'sgd with nesterov needs a momentum', { expected: 'momentum > 0', received: String(spec.momentum ?? 0) });
      }
      return tf.train.sgd(spec.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(spec.learningRate, spec.rho ?? 0.9, spec.momentum ?? 0, spec.epsilon, spec.centered ?? false);
  }
}

/**
 * tfjs-core 4.22 keeps the rate in a protected `learningRate` field. Adam and RMSProp read it on
 * every step, so writing it is enough; SGD and Momentum also cache `-learningRate` as a scalar
 * tensor (`c`), which only their public `setLearningRate` refreshes.
 *
 * Optimizers are told apart by class name, not `instanceof`: tfjs's `Optimizer` defines a
 * duck-typed `Symbol.hasInstance` that its subclasses inherit, so `adam instanceof SGDOptimizer`
 * is true.
 */
type TRateField = { learningRate: number };
type TSgdLike = TRateField & { setLearningRate(rate: number): void };

const RATE_FIELD_OPTIMIZERS: readonly string[] = ['Adam', 'RMSProp'];
const SGD_OPTIMIZERS: readonly string[] = ['SGD', 'Momentum'];

function unsupported(optimizer: tf.Optimizer): PipelineError {
  return new PipelineError('INVALID_INPUT', `the learning rate of a ${optimizer.getClassName()} optimizer cannot be read or changed here`, {
    expected: 'an Adam, SGD, Momentum or RMSProp optimizer (compileModel makes one of these)',
    received: optimizer.getClassName(),
  });
}

export function getLearningRate(optimizer: tf.Optimizer): number {
  const kind = optimizer.getClassName();
  if (!RATE_FIELD_OPTIMIZERS.includes(kind) && !SGD_OPTIMIZERS.includes(kind)) throw unsupported(optimizer);
  return (optimizer as unknown as TRateField).learningRate;
}

/** Changes the rate the next step uses (a learning-rate schedule calls this between epochs). */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  if (!Number.isFinite(rate) || rate < 0) {
    throw new PipelineError('INVALID_INPUT', 'a learning rate is a finite number ≥ 0', { expected: 'a finite number ≥ 0', received: String(rate) });
  }
  const kind = optimizer.getClassName();
  if (SGD_OPTIMIZERS.includes(kind)) (optimizer as unknown as TSgdLike).setLearningRate(rate);
  else if (RATE_FIELD_OPTIMIZERS.includes(kind)) (optimizer as unknown as TRateField).learningRate = rate;
  else throw unsupported(optimizer);
}
