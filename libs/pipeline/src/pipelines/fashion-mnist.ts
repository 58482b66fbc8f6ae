import { z } from 'zod';
import { FASHION_MNIST_CLASS_NAMES, fashionMnistSource } from '@tsfx/data';
import { definePipeline } from '../core/pipeline';
import { transformStage } from '../stages/transform';
import { addDataQualityStages } from './data-quality';
import { accuracyThresholds, addModelStages } from './model-stages';

/**
 * Fashion-MNIST from Debian's dataset-fashion-mnist package (IDX files): 28×28 grayscale
 * clothing images in 10 classes, end to end: data stages, image feature column, the
 * Fashion-MNIST CNN, evaluation against the serving model, export when blessed.
 */
export const fashionMnistPipeline = definePipeline({
  name: 'fashion-mnist',
  description: 'Fashion-MNIST (Debian dataset-fashion-mnist): ingest IDX, validate, image features, CNN, evaluate, export',
  params: z.object({
    /** Images read from the 60,000-image training file (all by default). */
    limit: z.number().int().positive().max(60_000).optional(),
    epochs: z.number().int().positive().default(8),
    batchSize: z.number().int().positive().default(32),
    learningRate: z.number().positive().default(0.001),
    /** Exported as `<model base path>/<modelName>/<version>/`. */
    modelName: z.string().default('fashion-mnist'),
    /** Blessed only at or above this eval accuracy (and not worse than the serving model by more than 0.01). */
    minAccuracy: z.number().min(0).max(1).default(0.85),
    quantize: z.enum(['none', 'float16', 'uint8']).default('none'),
  }),
  build: (b, params) => {
    const { ingest, schema, validate } = addDataQualityStages(b, {
      source: fashionMnistSource('train', params.limit ? { limit: params.limit } : {}),
      // 50,000 to train on, 10,000 held out: the size of the official test file.
      splits: { train: 5, eval: 1 },
    });
    const transform = b.stage(transformStage, {
      params: {
        spec: { columns: [{ kind: 'image', key: 'image' }], label: { kind: 'class', key: 'label', classNames: [...FASHION_MNIST_CLASS_NAMES] } },
      },
      inputs: { examples: ingest.outputs.examples, anomalies: validate.outputs.anomalies },
    });
    addModelStages(
      b,
      { examples: ingest.outputs.examples, transformGraph: transform.outputs.transformGraph, schema: schema.outputs.schema },
      {
        modelName: params.modelName,
        train: {
          model: 'fashion-mnist-cnn',
          compile: { loss: 'sparseCategoricalCrossentropy', optimizer: { type: 'adam', learningRate: params.learningRate }, metrics: ['accuracy'] },
          // Decaying the rate settles Adam into ~91% in a handful of epochs.
          fit: { epochs: params.epochs, batchSize: params.batchSize, batchMetricsEvery: 10, learningRateSchedule: { kind: 'exponential', decayRate: 0.75 } },
        },
        evaluate: {
          thresholds: accuracyThresholds(params.minAccuracy, 0.01),
        },
        export: { quantize: params.quantize },
      },
    );
  },
});
