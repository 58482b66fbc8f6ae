import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PipelineError } from '@tsfx/shared';
import { parseTransformGraph, readSplit, type TTransformGraph } from '@tsfx/data';
import {
  accuracyOf,
  exportServable,
  loadModelFromDirectory,
  predictSplit,
  readServable,
  readVersionNumbers,
  selectBackend,
  SERVABLE_LAYOUT,
  versionDirectory,
  ZServableLineage,
  type TServableLineage,
} from '@tsfx/ml';
import type { ExecutorContext, ExecutorOutputs, ResolvedInputs, StageSettings } from '../../core/stage';
import { blessingPath, evaluationPath } from '../evaluate/spec';
import { schemaPath } from '../schema/spec';
import { transformGraphPath } from '../transform/spec';
import { modelDir } from '../train/spec';
import type { TExportParams } from './spec';

type Inputs = {
  model: 'Model';
  blessing: 'ModelBlessing';
  transformGraph: 'TransformGraph';
  schema: 'Schema';
  evaluation: 'ModelEvaluation';
  examples: 'Examples';
};
type Outputs = { pushed: { type: 'PushedModel'; optional: true } };

/**
 * Exports a blessed model as a new servable version (TFX Pusher): `<model base path>/<name>/<version>/`
 * with the TF.js model, the TransformGraph, the schema, the signature, the evaluation and the
 * lineage, written atomically. An unblessed model is not exported, and the log says why; that
 * is an outcome, not a failure, so the run completes without a PushedModel.
 */
export async function executeExport(
  ctx: ExecutorContext<Outputs>,
  inputs: ResolvedInputs<Inputs>,
  params: TExportParams,
): Promise<ExecutorOutputs<Outputs>> {
  const { model, blessing, transformGraph, schema, evaluation, examples } = inputs;
  if (!blessing.properties.blessed) {
    ctx.logger.warn(`not exported: the model was not blessed (${blessing.properties.reasons.join('; ') || 'no reason recorded'})`);
    return { pushed: null };
  }
  const serving = await latestExport(ctx.settings.modelBasePath, params.modelName);
  if (serving && serving.lineage.artifacts.model === model.id) {
    // A re-run whose training was cached: this very model already serves, a copy adds nothing.
    ctx.logger.info(`model ${model.id} already serves as ${params.modelName} version ${serving.version}; nothing to export`);
    return { pushed: { modelName: params.modelName, version: serving.version, path: serving.path, quantization: params.quantize, weightBytes: 0, accuracyChange: null } };
  }
  await selectBackend(ctx.settings.backend ? { forced: ctx.settings.backend } : {});
  const graphText = await readFile(transformGraphPath(transformGraph.uri), 'utf8');
  const graph = parseTransformGraph(graphText);
  const loaded = await loadModelFromDirectory(modelDir(model.uri));
  const { classNames, inputNames } = model.properties;
  const outputShape = loaded.outputs[0]?.shape ?? [null, classNames.length];

  const exported = await exportServable({
    modelBasePath: ctx.settings.modelBasePath,
    modelName: params.modelName,
    model: loaded,
    files: {
      'transform_graph.json': graphText,
      'schema.json': await readFile(schemaPath(schema.uri), 'utf8'),
      'evaluation.json': await readFile(evaluationPath(evaluation.uri), 'utf8'),
      'blessing.json': await readFile(blessingPath(blessing.uri), 'utf8'),
    },
    signature: {
      task: 'classification',
      inputs: {
        raw: graph.inputs.map((input) => ({ name: input.key, dtype: input.kind, shape: rawShape(graph, input.key) })),
        transformed: inputNames.map((name) => {
          const output = graph.outputs.find((o) => o.name === name);
          if (!output) throw new PipelineError('ARTIFACT_CORRUPT', `the model reads '${name}', which the TransformGraph does not produce`);
          return { name, dtype: output.dtype, shape: [null, ...output.shape] };
        }),
      },
      outputs: [{ name: 'probabilities', dtype: 'float32', shape: outputShape.map((d) => d ?? null) }],
      classLabels: classNames,
    },
    lineage: {
      pipelineName: ctx.pipelineName,
      runId: ctx.runId,
      artifacts: {
        model: model.id,
        transformGraph: transformGraph.id,
        schema: schema.id,
        evaluation: evaluation.id,
        blessing: blessing.id,
        examples: examples.id,
      },
    },
    ...(params.quantize === 'none' ? {} : { quantize: params.quantize }),
  });
  const floatBytes = loaded.getWeights().reduce((sum, w) => sum + w.size * 4, 0);
  let accuracyChange: number | null = null;
  if (params.quantize !== 'none') {
    // The talk's small-device export: say what quantization costs in accuracy, on the eval split.
    const split = await readSplit(examples.uri, params.evalSplit);
    const before = accuracyOf(await predictSplit(loaded, inputNames, graph, split, { signal: ctx.signal }));
    const servable = await readServable(exported.path);
    const after = accuracyOf(await predictSplit(servable.model, inputNames, graph, split, { signal: ctx.signal }));
    servable.model.dispose();
    accuracyChange = after - before;
    ctx.logger.info(
      `${params.quantize} weights: ${formatBytes(floatBytes)} → ${formatBytes(exported.weightBytes)}; eval accuracy ${before.toFixed(4)} → ${after.toFixed(4)} (${accuracyChange >= 0 ? '+' : ''}${accuracyChange.toFixed(4)})`,
    );
  }
  loaded.dispose();
  ctx.logger.info(`exported ${params.modelName} version ${exported.version} to ${exported.path}`);
  return {
    pushed: {
      modelName: params.modelName,
      version: exported.version,
      path: exported.path,
      quantization: params.quantize,
      weightBytes: exported.weightBytes,
      accuracyChange,
    },
  };
}

/** The newest exported version of a model and where it came from, or undefined when none is exported. */
export async function latestExport(
  modelBasePath: string,
  modelName: string,
): Promise<{ version: number; path: string; lineage: TServableLineage } | undefined> {
  const versions = await readVersionNumbers(join(modelBasePath, modelName));
  const version = versions.at(-1);
  if (version === undefined) return undefined;
  const path = versionDirectory(modelBasePath, modelName, version);
  const lineage = ZServableLineage.parse(JSON.parse(await readFile(join(path, SERVABLE_LAYOUT.lineage), 'utf8')));
  return { version, path, lineage };
}

/** The versions already exported decide what an export does, so they are part of its cache key. */
export async function fingerprintModelFolder(params: TExportParams, settings: StageSettings): Promise<string> {
  const versions = await readVersionNumbers(join(settings.modelBasePath, params.modelName));
  return `versions:${versions.join(',')}`;
}

/** Per-example shape of a raw input as a client sends it: scalars, or images as [h, w, c]. */
function rawShape(graph: TTransformGraph, key: string): (number | null)[] {
  for (const column of graph.columns) {
    if (column.kind === 'image' && column.key === key) return [...column.state.inputShape];
  }
  return [];
}

function formatBytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
