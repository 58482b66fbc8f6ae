/**
 * One-call save and load of a tfjs-layers model as a directory, optimizer state included on
 * request: what the train stage's per-epoch checkpoints and "load back and continue training"
 * (fine-tuning from an exported model) use.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { PipelineError, isPipelineError } from '@tsfx/shared';
import { type DirectorySaveOptions, type WrittenModelDirectory, directoryLoadHandler, writeModelDirectory } from './directory-io';
import { MODEL_JSON_FILE } from './weights-manifest';

export type SaveModelOptions = DirectorySaveOptions & {
  /**
   * Also save the optimizer (its config as model.json's `trainingConfig`, its slots — Adam's
   * moments, RMSprop's accumulators, momentum — as `group: 'optimizer'` weights), so that the
   * loaded model is compiled and continues training exactly where it stopped. Default false.
   * Optimizer weights are never quantized.
   */
  includeOptimizer?: boolean;
};

/**
 * Saves `model` to `dir` (atomically; see writeModelDirectory) and says what was written.
 *
 * @example
 * await saveModelToDirectory(model, join(checkpoints, `epoch-${epoch}`), { includeOptimizer: true });
 */
export async function saveModelToDirectory(model: tfl.LayersModel, dir: string, options: SaveModelOptions = {}): Promise<WrittenModelDirectory> {
  if (options.includeOptimizer && model.optimizer == null) {
    throw new PipelineError('INVALID_INPUT', 'cannot save the optimizer of a model that is not compiled', {
      expected: 'a model compiled with an optimizer (model.compile({ optimizer, loss }))',
      received: 'no optimizer',
    });
  }
  let written: WrittenModelDirectory | undefined;
  const handler: tf.io.IOHandler = {
    save: async (artifacts) => {
      written = await writeModelDirectory(dir, artifacts, options);
      return written.saveResult;
    },
  };
  await model.save(handler, { includeOptimizer: options.includeOptimizer ?? false });
  if (written === undefined) throw new PipelineError('INTERNAL', `model.save did not call the save handler for ${dir}`);
  return written;
}

/**
 * Loads a model directory. A model saved with `includeOptimizer` comes back compiled, with its
 * optimizer's state restored (tfjs-layers does this from `trainingConfig` and the optimizer
 * weights); otherwise it is uncompiled.
 */
export async function loadModelFromDirectory(dir: string): Promise<tfl.LayersModel> {
  // A backend still initialising (wasm compiles asynchronously) is not a corrupt model: wait for
  // it here, so the error below only ever blames the files.
  await tf.ready();
  try {
    return await tfl.loadLayersModel(directoryLoadHandler(dir));
  } catch (error) {
    if (isPipelineError(error)) throw error;
    // The files were present and intact (checked above) but tfjs-layers could not build a model
    // from them: a topology or weight list that does not fit.
    throw new PipelineError('ARTIFACT_CORRUPT', `${join(dir, MODEL_JSON_FILE)} does not describe a loadable layers model`, {
      expected: 'a tfjs-layers topology whose weights match the manifest',
      received: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}
