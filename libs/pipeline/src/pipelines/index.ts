import type { PipelineDefinition } from '../core/pipeline';
import type { PipelineRegistry } from '../runner/registry';
import { csvPipeline } from './csv';
import { fashionMnistPipeline } from './fashion-mnist';
import { penguinsPipeline } from './penguins';
import { rockPaperScissorsPipeline } from './rock-paper-scissors';

/** Pipelines that ship with tsfx, by name (`tsfx run <name>`). */
export function createBuiltinRegistry(): PipelineRegistry {
  const pipelines: PipelineDefinition[] = [csvPipeline, fashionMnistPipeline, penguinsPipeline, rockPaperScissorsPipeline];
  return new Map(pipelines.map((pipeline) => [pipeline.name, pipeline]));
}

export { csvPipeline, fashionMnistPipeline, penguinsPipeline, rockPaperScissorsPipeline };
export { addModelStages } from './model-stages';
export { addDataQualityStages } from './data-quality';
