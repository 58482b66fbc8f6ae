import type { z } from 'zod';
import type { OutputRef, PipelineBuilder } from '../core/pipeline';
import { evaluateStage } from '../stages/evaluate';
import { exportStage } from '../stages/export';
import type { ZEvaluateParams } from '../stages/evaluate/spec';
import type { ZExportParams } from '../stages/export/spec';
import { trainStage } from '../stages/train';
import type { ZTrainParams } from '../stages/train/spec';

/**
 * The built-in pipelines' blessing rule: overall accuracy at least `minAccuracy`, and not more
 * than `maxDrop` below the version serving now (skipped, TFX's rubber stamp, when none serves).
 */
export function accuracyThresholds(minAccuracy: number, maxDrop: number) {
  return [
    { metric: 'accuracy', slice: {}, value: { lower: minAccuracy } },
    { metric: 'accuracy', slice: {}, change: { direction: 'HIGHER_IS_BETTER' as const, absolute: -maxDrop } },
  ];
}

/**
 * The model half every built-in pipeline shares: train → evaluate (against what serves now) →
 * export (only when blessed). Returns the handles, like addDataQualityStages.
 */
export function addModelStages(
  b: PipelineBuilder,
  inputs: {
    examples: OutputRef<'Examples'>;
    transformGraph: OutputRef<'TransformGraph'>;
    schema: OutputRef<'Schema'>;
  },
  options: {
    modelName: string;
    train: z.input<typeof ZTrainParams>;
    evaluate: Omit<z.input<typeof ZEvaluateParams>, 'modelName'>;
    export?: Omit<z.input<typeof ZExportParams>, 'modelName'>;
  },
) {
  const train = b.stage(trainStage, {
    params: options.train,
    inputs: { examples: inputs.examples, transformGraph: inputs.transformGraph },
  });
  const evaluate = b.stage(evaluateStage, {
    params: { ...options.evaluate, modelName: options.modelName },
    inputs: { examples: inputs.examples, transformGraph: inputs.transformGraph, model: train.outputs.model },
  });
  const pushed = b.stage(exportStage, {
    params: { ...options.export, modelName: options.modelName },
    inputs: {
      model: train.outputs.model,
      blessing: evaluate.outputs.blessing,
      transformGraph: inputs.transformGraph,
      schema: inputs.schema,
      evaluation: evaluate.outputs.evaluation,
      examples: inputs.examples,
    },
  });
  return { train, evaluate, export: pushed };
}
