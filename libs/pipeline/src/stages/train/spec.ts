import { z } from 'zod';
import { zFilePath } from '../../core/params';
import { ZCompileSpec, ZFitConfig, ZModelSpec } from '@tsfx/ml';

/** Channels of the train stage (TFX Trainer). */
export const TRAIN = {
  inputs: { examples: 'examples', transformGraph: 'transform_graph' },
  outputs: { model: 'model', modelRun: 'model_run' },
} as const;

export const ZTrainParams = z.object({
  /** A built-in template name (`fashion-mnist-cnn`, `rps-cnn`, `tabular-dnn`) or a Keras-like JSON spec. */
  model: z.union([z.string().min(1), ZModelSpec]),
  compile: ZCompileSpec.default({ loss: 'sparseCategoricalCrossentropy', optimizer: { type: 'adam', learningRate: 0.001 }, metrics: ['accuracy'] }),
  fit: ZFitConfig.default(ZFitConfig.parse({})),
  trainSplit: z.string().min(1).default('train'),
  /** Validation data after each epoch (Keras's validation_data); absent split → no validation. */
  evalSplit: z.string().min(1).default('eval'),
  /**
   * Start from the weights of a saved model instead of random ones (the talk's SavedModel round
   * trip: fine-tune an exported model): an export's version folder or a folder with model.json.
   * The architecture must match the one built here.
   */
  warmStartFrom: zFilePath().optional(),
  /** Weight histograms in the TensorBoard logs every this many epochs (0: never). */
  histogramEvery: z.number().int().nonnegative().default(1),
});
export type TTrainParams = z.output<typeof ZTrainParams>;

/** `{uri}/model/`: model.json + shards, with the optimizer's state (so training can continue from it). */
export function modelDir(uri: string): string {
  return `${uri}/model`;
}

export function modelSummaryPath(uri: string): string {
  return `${uri}/summary.json`;
}

export function trainingHistoryPath(uri: string): string {
  return `${uri}/history.json`;
}

/** TensorBoard logdir of a ModelRun: `train/` and `validation/` runs in Keras's layout. */
export function tensorboardLogdir(modelRunUri: string): string {
  return `${modelRunUri}/logs`;
}

export function checkpointsDir(modelRunUri: string): string {
  return `${modelRunUri}/checkpoints`;
}
