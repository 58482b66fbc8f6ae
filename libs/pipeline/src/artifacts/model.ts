import { z } from 'zod';

/**
 * Model: a trained TF.js Layers model.
 *
 * On-disk layout: `{uri}/model/` (model.json + weight shards, with the optimizer's state),
 * `{uri}/summary.json` (layers, output shapes, params).
 */
export const ZModelProperties = z.object({
  framework: z.literal('tfjs-layers'),
  /** The TF.js backend it was trained on. */
  backend: z.string(),
  /** The native TensorFlow runtime's version when the backend was `tensorflow`. */
  tensorflowVersion: z.string().optional(),
  /** Whether its training steps ran as TensorFlow graph functions (tensorflow backend). */
  graphFunctions: z.boolean().optional(),
  paramCount: z.number().int().nonnegative(),
  /** Class names in output order. */
  classNames: z.array(z.string()),
  /** The model's inputs, in order: TransformGraph outputs (`<column>_xf`). */
  inputNames: z.array(z.string()),
});

/**
 * ModelRun: training by-products: TensorBoard event files and checkpoints.
 *
 * On-disk layout: `{uri}/logs/{train,validation}/events.out.tfevents.*` (TensorBoard, Keras's
 * layout), `{uri}/history.json` (per-epoch logs), `{uri}/checkpoints/epoch-{n}/` (the newest
 * epoch and the best one).
 */
export const ZModelRunProperties = z.object({
  /** Epochs completed (fewer than asked for when early stopping fired). */
  epochs: z.number().int().nonnegative(),
  stoppedEarly: z.boolean(),
  /** Epochs restored from the checkpoint of an interrupted attempt (0: trained from scratch). */
  resumedFromEpoch: z.number().int().nonnegative(),
  /** Last epoch's loss and accuracy, training and validation (Keras names). */
  final: z.record(z.string(), z.number()),
});

/**
 * ModelEvaluation: metrics overall and per slice, compared with a baseline.
 *
 * On-disk layout: `{uri}/evaluation.json`.
 */
export const ZModelEvaluationProperties = z.object({
  metrics: z.record(z.string(), z.number()),
  baselineModelVersion: z.string().nullable(),
});

/**
 * ModelBlessing: whether the candidate passed every threshold, and why not.
 *
 * On-disk layout: `{uri}/BLESSED` or `{uri}/NOT_BLESSED`, and `{uri}/blessing.json` with reasons.
 */
export const ZModelBlessingProperties = z.object({
  blessed: z.boolean(),
  reasons: z.array(z.string()),
});

/**
 * PushedModel: a model exported in TF Serving's layout.
 *
 * On-disk layout: `{uri}` is `<model_base_path>/<name>/<version>/`.
 */
export const ZPushedModelProperties = z.object({
  modelName: z.string(),
  version: z.number().int().positive(),
  /** The version folder. */
  path: z.string(),
  quantization: z.enum(['none', 'float16', 'uint8']),
  weightBytes: z.number().int().nonnegative(),
  /** Quantized minus float eval accuracy; null when not quantized. */
  accuracyChange: z.number().nullable(),
});
