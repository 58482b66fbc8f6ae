import { defineStage } from '../../core/stage';
import { executeTrain } from './executor';
import { ZTrainParams } from './spec';

/** TFX Trainer: fit a TF.js model on the transformed training split, with TensorBoard logs and per-epoch checkpoints. */
export const trainStage = defineStage({
  type: 'train',
  version: '1',
  description: 'train a TF.js model (template or JSON spec) on the transformed features; curves, TensorBoard logs, checkpoints',
  params: ZTrainParams,
  inputs: { examples: 'Examples', transformGraph: 'TransformGraph' },
  outputs: { model: 'Model', modelRun: 'ModelRun' },
  execute: executeTrain,
});
