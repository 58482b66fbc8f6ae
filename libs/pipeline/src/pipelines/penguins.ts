import { z } from 'zod';
import { locatePenguins } from '@tsfx/data';
import { definePipeline } from '../core/pipeline';
import { zFilePath } from '../core/params';
import { transformStage } from '../stages/transform';
import { addDataQualityStages } from './data-quality';
import { accuracyThresholds, addModelStages } from './model-stages';

const NUMERIC = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'] as const;

/**
 * A real tabular set (Palmer penguins, from the vega-datasets npm package): categorical
 * island and sex (one-hot and embedding) and numeric measurements (normalized, bucketized).
 */
export const penguinsPipeline = definePipeline({
  name: 'penguins',
  description: 'Palmer penguins species: ingest, validate, feature columns (one-hot, embedding, z-score, buckets), DNN, evaluate per island and sex, export',
  params: z.object({
    schema: zFilePath().optional(),
    allowAnomalies: z.boolean().default(false),
    epochs: z.number().int().positive().default(40),
    learningRate: z.number().positive().default(0.01),
    /** Fine-tune a saved model (an export's version folder) instead of starting from random weights. */
    warmStartFrom: zFilePath().optional(),
    /** Store the exported weights as uint8 or float16 (small devices); the accuracy change is reported. */
    quantize: z.enum(['none', 'float16', 'uint8']).default('none'),
    modelName: z.string().default('penguins'),
    /** Blessed only at or above this eval accuracy (the majority class, Adelie, is 44%). */
    minAccuracy: z.number().min(0).max(1).default(0.8),
  }),
  build: (b, params) => {
    const dataset = locatePenguins();
    const { ingest, schema, validate } = addDataQualityStages(b, { source: dataset.source, pinnedSchemaPath: params.schema });
    const transform = b.stage(transformStage, {
      params: {
        allowAnomalies: params.allowAnomalies,
        spec: {
          columns: [
            ...NUMERIC.map((key) => ({ kind: 'numeric' as const, key, normalization: 'zscore' as const })),
            { kind: 'bucketized', key: 'Body Mass (g)', name: 'mass_bucket', quantiles: 4 },
            { kind: 'categorical_vocabulary', key: 'Island', name: 'island' },
            { kind: 'indicator', source: 'island' },
            { kind: 'categorical_vocabulary', key: 'Sex', name: 'sex', numOovBuckets: 1 },
            { kind: 'embedding', source: 'sex', dimension: 2 },
          ],
          label: { kind: 'class', key: dataset.label },
        },
      },
      inputs: { examples: ingest.outputs.examples, anomalies: validate.outputs.anomalies },
    });
    addModelStages(
      b,
      { examples: ingest.outputs.examples, transformGraph: transform.outputs.transformGraph, schema: schema.outputs.schema },
      {
        modelName: params.modelName,
        train: {
          model: 'tabular-dnn',
          ...(params.warmStartFrom ? { warmStartFrom: params.warmStartFrom } : {}),
          compile: { loss: 'sparseCategoricalCrossentropy', optimizer: { type: 'adam', learningRate: params.learningRate }, metrics: ['accuracy'] },
          fit: { epochs: params.epochs, batchSize: 16, earlyStopping: { monitor: 'val_loss', patience: 8 } },
        },
        evaluate: {
          sliceBy: ['Island', 'Sex'],
          thresholds: accuracyThresholds(params.minAccuracy, 0.02),
        },
        export: { quantize: params.quantize },
      },
    );
  },
});
