import { z } from 'zod';

/**
 * Random image augmentation applied to each training batch (Keras's ImageDataGenerator, which
 * the talk's rock-paper-scissors notebook uses): every image gets its own random flip,
 * rotation, shift and zoom, composed into one affine transform with nearest fill.
 */
export const ZAugmentation = z.object({
  /** The transformed image input to augment (`<column>_xf`); default: the model's only image input. */
  feature: z.string().min(1).optional(),
  /** Mirror left-right with probability 1/2. */
  flipHorizontal: z.boolean().default(false),
  /** Rotate by a uniform angle in ±rotationDegrees. */
  rotationDegrees: z.number().min(0).max(180).default(0),
  /** Shift by a uniform fraction of the width in ±widthShift. */
  widthShift: z.number().min(0).max(1).default(0),
  /** Shift by a uniform fraction of the height in ±heightShift. */
  heightShift: z.number().min(0).max(1).default(0),
  /** Scale by a uniform factor in [1 − zoom, 1 + zoom]. */
  zoom: z.number().min(0).max(0.9).default(0),
});
export type TAugmentation = z.output<typeof ZAugmentation>;

/** Stop when the monitored quantity stops improving (Keras's EarlyStopping). */
export const ZEarlyStopping = z.object({
  monitor: z.enum(['val_loss', 'val_accuracy', 'loss', 'accuracy']).default('val_loss'),
  /** Epochs without improvement before stopping. */
  patience: z.number().int().nonnegative().default(3),
  /** An improvement smaller than this does not count. */
  minDelta: z.number().nonnegative().default(0),
  /** Put back the weights of the best epoch when training stops early. */
  restoreBestWeights: z.boolean().default(true),
});
export type TEarlyStopping = z.output<typeof ZEarlyStopping>;

/** The learning rate per epoch, from the optimizer's initial rate. */
export const ZLearningRateSchedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }),
  /** lr · decayRate^epoch. */
  z.object({ kind: z.literal('exponential'), decayRate: z.number().positive().max(1) }),
  /** lr · factor^⌊epoch / every⌋. */
  z.object({ kind: z.literal('step'), every: z.number().int().positive(), factor: z.number().positive().max(1) }),
  /** Cosine annealing from lr down to minLearningRate over the run's epochs. */
  z.object({ kind: z.literal('cosine'), minLearningRate: z.number().nonnegative().default(0) }),
]);
export type TLearningRateSchedule = z.output<typeof ZLearningRateSchedule>;

export const ZFitConfig = z.object({
  epochs: z.number().int().positive().max(10_000).default(5),
  batchSize: z.number().int().positive().max(65_536).default(32),
  /** Seeds the shuffling and the augmentation, so a run can be repeated. */
  seed: z.number().int().nonnegative().default(42),
  shuffle: z.boolean().default(true),
  /** Rows per forward pass when computing validation metrics. */
  validationBatchSize: z.number().int().positive().default(256),
  /** Store a `batch_*` metric point every this many batches (1: every batch). */
  batchMetricsEvery: z.number().int().positive().default(1),
  /** Cap on batches per epoch (quick runs, smoke tests); default: the whole split. */
  maxStepsPerEpoch: z.number().int().positive().optional(),
  augmentation: ZAugmentation.optional(),
  earlyStopping: ZEarlyStopping.optional(),
  learningRateSchedule: ZLearningRateSchedule.default({ kind: 'constant' }),
});
export type TFitConfig = z.output<typeof ZFitConfig>;
export type TFitConfigInput = z.input<typeof ZFitConfig>;

/** Metrics of one epoch, with Keras's names (`loss`, `accuracy`, `val_loss`, `val_accuracy`). */
export type TEpochLogs = { epoch: number; learningRate: number; seconds: number; examplesPerSecond: number } & Record<string, number>;
