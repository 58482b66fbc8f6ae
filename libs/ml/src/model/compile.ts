import type * as tf from '@tensorflow/tfjs-core';
import { metrics as tflMetrics, type LayersModel } from '@tensorflow/tfjs-layers';
import { PipelineError, parseOrThrow } from '@tsfx/shared';
import { z } from 'zod';
import { BUILTIN_LOSSES, BUILTIN_METRICS } from './builtin-names';
import { ZOptimizerSpec, createOptimizer } from './optimizer';
import { customLossNames, customMetricNames, getCustomLoss, getCustomMetric, type TLossOrMetricFn } from './registry';

function isOneOf<T extends string>(names: readonly T[], value: string): value is T {
  return (names as readonly string[]).includes(value);
}

const ZLossName = z.string().superRefine((name, ctx) => {
  if (isOneOf(BUILTIN_LOSSES, name) || getCustomLoss(name)) return;
  const custom = customLossNames();
  ctx.addIssue({
    code: 'custom',
    message: `unknown loss '${name}'; known losses: ${BUILTIN_LOSSES.join(', ')}${custom.length > 0 ? `, or a registered loss (${custom.join(', ')})` : ''}`,
  });
});

const ZMetricName = z.string().superRefine((name, ctx) => {
  if (isOneOf(BUILTIN_METRICS, name) || getCustomMetric(name)) return;
  const custom = customMetricNames();
  ctx.addIssue({
    code: 'custom',
    message: `unknown metric '${name}'; known metrics: ${BUILTIN_METRICS.join(', ')}${custom.length > 0 ? `, or a registered metric (${custom.join(', ')})` : ''}`,
  });
});

/**
 * How to compile a model. The defaults fit tsfx's labels, which arrive as `[batch, 1]` class ids:
 * sparse categorical cross-entropy, Adam at 0.001 and accuracy. `categoricalCrossentropy` and
 * `categoricalAccuracy` expect one-hot labels, which the training feed does not produce; they are
 * here for models trained on one-hot targets elsewhere.
 */
export const ZCompileSpec = z.strictObject({
  /** A built-in loss, or one registered with `registerLoss`. */
  loss: ZLossName.default('sparseCategoricalCrossentropy'),
  optimizer: ZOptimizerSpec.default({ type: 'adam', learningRate: 0.001 }),
  /** Built-in metrics, or ones registered with `registerMetric`; reported under their names (`accuracy` as `acc`, as tfjs-layers does). */
  metrics: z.array(ZMetricName).default(['accuracy']),
});
export type TCompileSpec = z.output<typeof ZCompileSpec>;
export type TCompileSpecInput = z.input<typeof ZCompileSpec>;

/** A function metric reported under `name` (tfjs-layers names function metrics after `fn.name`). */
function named(name: string, fn: TLossOrMetricFn): TLossOrMetricFn {
  const wrapper = { [name]: (yTrue: tf.Tensor, yPred: tf.Tensor) => fn(yTrue, yPred) }[name];
  return wrapper as TLossOrMetricFn;
}

function resolveMetric(name: string): string | TLossOrMetricFn {
  // tfjs-layers has the function but not the name.
  if (name === 'sparseCategoricalAccuracy') return tflMetrics.sparseCategoricalAccuracy;
  const custom = getCustomMetric(name);
  return custom ? named(name, custom) : name;
}

/**
 * Compiles `model` from a compile spec (parsed here, so defaults apply and bad names fail with
 * the list of known ones). The optimizer's learning rate can be changed afterwards with
 * `setLearningRate(model.optimizer, rate)`.
 *
 * `accuracy` follows Keras, as tfjs-layers resolves it from the loss: binary for a one-unit output
 * or binary cross-entropy, sparse categorical with sparse cross-entropy, categorical with
 * categorical cross-entropy.
 *
 * A registered loss receives the labels as tsfx feeds them, `[batch, 1]` class ids (or targets).
 * tfjs-layers 4.22 only lets targets differ from the output's shape for its own sparse loss: for
 * any other loss function it demands `[batch, classes]` targets (`standardizeUserDataXY`). So the
 * model is compiled with the sparse loss, which also makes `accuracy` sparse, and its loss
 * function is then swapped for the registered one; the train and test steps read
 * `model.lossFunctions` on every batch. A registered loss is for single-output models, because
 * tfjs also keeps the per-output losses of multi-output models in private fields.
 */
export function compileModel(model: LayersModel, spec: TCompileSpecInput = {}): TCompileSpec {
  const parsed = parseOrThrow(ZCompileSpec, spec, 'compile spec');
  const customLoss = getCustomLoss(parsed.loss);
  if (customLoss && model.outputs.length !== 1) {
    throw new PipelineError('INVALID_INPUT', `registered loss '${parsed.loss}' needs a single-output model`, {
      expected: 'one output',
      received: `${model.outputs.length} outputs`,
    });
  }
  model.compile({
    loss: customLoss ? 'sparseCategoricalCrossentropy' : parsed.loss,
    optimizer: createOptimizer(parsed.optimizer),
    metrics: parsed.metrics.map(resolveMetric),
  });
  if (customLoss) {
    model.lossFunctions = [customLoss];
    // Its name, not the swapped-out one, goes into a saved training config.
    model.loss = parsed.loss;
  }
  return parsed;
}
