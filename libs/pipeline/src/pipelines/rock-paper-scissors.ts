import { resolve } from 'node:path';
import { z } from 'zod';
import { definePipeline } from '../core/pipeline';
import { zFilePath } from '../core/params';
import { transformStage } from '../stages/transform';
import { addDataQualityStages } from './data-quality';
import { accuracyThresholds, addModelStages } from './model-stages';

/** Where the generated set is drawn when no `dataDir` is given (relative to where the run is submitted). */
const GENERATED_DIR = '.tsfx/datasets/rock-paper-scissors-generated';

/**
 * The talk's rock-paper-scissors CNN on 150×150×3 images in one folder per class. By default the
 * images are drawn procedurally (hands as silhouettes, random pose, skin tone and background:
 * see @tsfx/data's generateRockPaperScissors), so it runs offline; point `dataDir` at the real
 * RPS folders (`rock/`, `paper/`, `scissors/`) and nothing else changes.
 */
export const rockPaperScissorsPipeline = definePipeline({
  name: 'rock-paper-scissors',
  description: "The talk's RPS CNN (150×150×3, Conv 64-64-128-128, dropout, dense 512) on an image folder; generated hands by default",
  params: z.object({
    /** A folder with one subfolder of images per class; default: the generated set. */
    dataDir: zFilePath().optional(),
    /** Draw the generated set into `dataDir` (default: only when no dataDir is given). */
    generate: z.boolean().optional(),
    /** Images drawn per class when generating. */
    perClass: z.number().int().positive().default(150),
    imageSize: z.number().int().min(16).max(512).default(150),
    epochs: z.number().int().positive().default(10),
    batchSize: z.number().int().positive().default(32),
    learningRate: z.number().positive().default(0.001),
    /**
     * The talk notebook's ImageDataGenerator augmentation (flip, ±40° rotation, 0.2 shift and
     * zoom). Off by default: on the generated set it needs 2–3× the epochs to get anywhere.
     */
    augment: z.boolean().default(false),
    modelName: z.string().default('rock-paper-scissors'),
    minAccuracy: z.number().min(0).max(1).default(0.6),
  }),
  build: (b, params) => {
    const generated = params.generate ?? params.dataDir === undefined;
    const { ingest, schema, validate } = addDataQualityStages(b, {
      source: {
        format: 'image-folder',
        path: params.dataDir ?? resolve(GENERATED_DIR),
        imageSize: [params.imageSize, params.imageSize],
        channels: 3,
        ...(generated ? { generate: { dataset: 'rock-paper-scissors', perClass: params.perClass, seed: 1, size: params.imageSize } } : {}),
      },
    });
    const transform = b.stage(transformStage, {
      params: { spec: { columns: [{ kind: 'image', key: 'image' }], label: { kind: 'class', key: 'label' } } },
      inputs: { examples: ingest.outputs.examples, anomalies: validate.outputs.anomalies },
    });
    addModelStages(
      b,
      { examples: ingest.outputs.examples, transformGraph: transform.outputs.transformGraph, schema: schema.outputs.schema },
      {
        modelName: params.modelName,
        train: {
          model: 'rps-cnn',
          compile: { loss: 'sparseCategoricalCrossentropy', optimizer: { type: 'rmsprop', learningRate: params.learningRate }, metrics: ['accuracy'] },
          fit: {
            epochs: params.epochs,
            batchSize: params.batchSize,
            // What the talk's notebook feeds its ImageDataGenerator.
            ...(params.augment ? { augmentation: { flipHorizontal: true, rotationDegrees: 40, widthShift: 0.2, heightShift: 0.2, zoom: 0.2 } } : {}),
          },
          histogramEvery: 1,
        },
        evaluate: {
          thresholds: accuracyThresholds(params.minAccuracy, 0.02),
        },
      },
    );
  },
});
