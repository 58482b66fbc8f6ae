import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { parseTransformGraph, readSplit, type TableBatch, type TTransformGraph } from '@tsfx/data';
import {
  compareWithBaseline,
  createEvaluationAccumulator,
  decideBlessing,
  formatBlessingReport,
  loadModelFromDirectory,
  predictSplit,
  readServable,
  readVersionNumbers,
  selectBackend,
  versionDirectory,
  type TEvaluation,
  type TModelRef,
  type TSliceValueColumn,
} from '@tsfx/ml';
import { PipelineError } from '@tsfx/shared';
import type { ExecutorContext, ExecutorOutputs, ResolvedInputs, StageSettings } from '../../core/stage';
import { modelDir } from '../train/spec';
import { transformGraphPath } from '../transform/spec';
import { blessingPath, evaluationPath, type TEvaluateParams } from './spec';

type Inputs = { examples: 'Examples'; transformGraph: 'TransformGraph'; model: 'Model' };
type Outputs = { evaluation: 'ModelEvaluation'; blessing: 'ModelBlessing' };

/** Raw values of the slicing features, one column each, as the accumulator takes them. */
function sliceColumns(split: TableBatch, features: readonly string[]): Record<string, TSliceValueColumn> {
  const columns: Record<string, TSliceValueColumn> = {};
  for (const feature of features) {
    const column = split.columns.find((c) => c.name === feature);
    if (!column || column.kind === 'image') {
      throw new PipelineError('INVALID_INPUT', `cannot slice by '${feature}'`, {
        expected: `a number or string column of the eval split (${split.columns.filter((c) => c.kind !== 'image').map((c) => c.name).join(', ')})`,
        received: column ? 'an image column' : 'no such column',
      });
    }
    columns[feature] = column.values;
  }
  return columns;
}

async function evaluateModel(
  model: LayersModel,
  inputNames: readonly string[],
  graph: TTransformGraph,
  split: TableBatch,
  classNames: readonly string[],
  params: TEvaluateParams,
  ref: TModelRef,
  signal: AbortSignal,
): Promise<TEvaluation> {
  const predictions = await predictSplit(model, inputNames, graph, split, { batchSize: params.batchSize, signal });
  if (!predictions.labels) {
    throw new PipelineError('INVALID_INPUT', 'cannot evaluate without labels', { expected: `the label column in split '${params.evalSplit}'`, received: 'no label' });
  }
  const accumulator = createEvaluationAccumulator({ classNames, sliceBy: params.sliceBy, labelFeature: graph.label?.key ?? 'label', model: ref });
  accumulator.add(predictions.probabilities, predictions.labels, sliceColumns(split, params.sliceBy));
  return accumulator.finish();
}

/** The version TF Serving serves by default (the highest), if any. */
async function servingVersion(settings: StageSettings, modelName: string): Promise<number | undefined> {
  return (await readVersionNumbers(join(settings.modelBasePath, modelName))).at(-1);
}

/** The serving version is the baseline, so a new export must miss the cache of an evaluation. */
export async function fingerprintServingBaseline(params: TEvaluateParams, settings: StageSettings): Promise<string> {
  const version = await servingVersion(settings, params.modelName);
  if (version === undefined) return 'baseline:none';
  const signature = await readFile(join(versionDirectory(settings.modelBasePath, params.modelName, version), 'signature.json'), 'utf8').catch(() => '');
  return `baseline:${version}:${signature.length}:${signature.slice(0, 200)}`;
}

/**
 * Evaluates the candidate on the eval split, overall and per slice (TFX Evaluator / TFMA), and
 * the model serving now on the same rows (each through its own TransformGraph) as the baseline;
 * then blesses or not by the thresholds, with every reason written down.
 */
export async function executeEvaluate(
  ctx: ExecutorContext<Outputs>,
  { examples, transformGraph, model }: ResolvedInputs<Inputs>,
  params: TEvaluateParams,
): Promise<ExecutorOutputs<Outputs>> {
  await selectBackend(ctx.settings.backend ? { forced: ctx.settings.backend } : {});
  if (!examples.properties.splitNames.includes(params.evalSplit)) {
    throw new PipelineError('INVALID_INPUT', 'cannot evaluate', { expected: `a split named '${params.evalSplit}'`, received: `splits ${examples.properties.splitNames.join(', ')}` });
  }
  const graph = parseTransformGraph(await readFile(transformGraphPath(transformGraph.uri), 'utf8'));
  const split = await readSplit(examples.uri, params.evalSplit);
  const { classNames, inputNames } = model.properties;
  ctx.progress.update({ done: 0, total: 2, unit: 'models', message: `evaluating the candidate on ${split.length} ${params.evalSplit} rows` });

  const candidateModel = await loadModelFromDirectory(modelDir(model.uri));
  const candidate = await evaluateModel(candidateModel, inputNames, graph, split, classNames, params, { id: model.id }, ctx.signal);
  candidateModel.dispose();

  let baseline: TEvaluation | undefined;
  const version = await servingVersion(ctx.settings, params.modelName);
  if (version !== undefined) {
    ctx.progress.update({ done: 1, total: 2, unit: 'models', message: `evaluating the baseline, ${params.modelName} version ${version}` });
    const servable = await readServable(versionDirectory(ctx.settings.modelBasePath, params.modelName, version));
    const baselineGraph = parseTransformGraph(servable.transformGraphText);
    baseline = await evaluateModel(
      servable.model,
      servable.signature.inputs.transformed.map((t) => t.name),
      baselineGraph,
      split,
      servable.signature.classLabels,
      params,
      { id: servable.lineage.artifacts.model ?? `${params.modelName}/${version}`, servingVersion: version },
      ctx.signal,
    );
    servable.model.dispose();
    candidate.baselineComparison = compareWithBaseline(candidate, baseline);
  } else {
    ctx.logger.info(`no version of '${params.modelName}' is serving: no baseline, change thresholds are skipped`);
  }
  ctx.progress.update({ done: 2, total: 2, unit: 'models' });

  const blessing = decideBlessing(candidate, baseline, { thresholds: params.thresholds });
  await writeFile(evaluationPath(ctx.outputs.evaluation.uri), `${JSON.stringify(candidate, null, 2)}\n`);
  await writeFile(blessingPath(ctx.outputs.blessing.uri), `${JSON.stringify(blessing, null, 2)}\n`);
  await writeFile(join(ctx.outputs.blessing.uri, blessing.blessed ? 'BLESSED' : 'NOT_BLESSED'), '');

  const overall = candidate.overall.metrics.metrics;
  ctx.metrics.write(
    ['accuracy', 'loss', 'auc', 'macro_f1'].filter((m) => overall[m] !== undefined).map((m) => ({ tag: `evaluation/${m}`, step: 0, value: overall[m] as number })),
  );
  for (const line of formatBlessingReport(blessing, 'text').split('\n')) ctx.logger.info(line);
  return {
    evaluation: { metrics: overall, baselineModelVersion: version === undefined ? null : String(version) },
    blessing: { blessed: blessing.blessed, reasons: blessing.blessed ? [blessing.message] : blessing.reasons },
  };
}
