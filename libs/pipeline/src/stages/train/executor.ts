import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { join } from 'node:path';
import { PipelineError } from '@tsfx/shared';
import { parseTransformGraph, readSplit, type TTransformGraph } from '@tsfx/data';
import {
  buildModel,
  compileModel,
  createKerasRunWriters,
  createSummaryWriter,
  fitModel,
  formatModelSummary,
  loadModelFromDirectory,
  MODEL_JSON_FILE,
  modelTemplates,
  saveModelToDirectory,
  SERVABLE_LAYOUT,
  selectBackend,
  summarizeModel,
  type TEpochEnd,
  type TModelSpec,
} from '@tsfx/ml';
import type { ExecutorContext, ExecutorOutputs, ResolvedInputs } from '../../core/stage';
import { transformGraphPath } from '../transform/spec';
import { checkpointsDir, modelDir, modelSummaryPath, tensorboardLogdir, trainingHistoryPath, type TTrainParams } from './spec';

type Inputs = { examples: 'Examples'; transformGraph: 'TransformGraph' };
type Outputs = { model: 'Model'; modelRun: 'ModelRun' };

/** Metric tags stored with the run, mirroring TensorBoard's `<run>/<tag>` (Keras's names). */
export const TRAIN_TAGS = {
  batch: (metric: string) => `train/batch_${metric}`,
  epoch: (metric: string) => `train/epoch_${metric}`,
  validation: (metric: string) => `validation/epoch_${metric}`,
  learningRate: 'train/epoch_learning_rate',
  throughput: 'train/examples_per_second',
} as const;

/** Copies the weights of a saved model (an export's version folder, or a model.json folder) into `model`. */
async function warmStart(model: LayersModel, from: string, logger: { info: (message: string) => void }): Promise<void> {
  const dir = (await stat(join(from, SERVABLE_LAYOUT.modelDir, MODEL_JSON_FILE)).catch(() => null)) ? join(from, SERVABLE_LAYOUT.modelDir) : from;
  const saved = await loadModelFromDirectory(dir);
  const expected = model.weights.map((w) => JSON.stringify(w.shape));
  const found = saved.weights.map((w) => JSON.stringify(w.shape));
  if (expected.join() !== found.join()) {
    saved.dispose();
    throw new PipelineError('INVALID_INPUT', `cannot warm-start from ${dir}: its architecture differs from the model built here`, {
      expected: `${expected.length} weights shaped ${expected.slice(0, 6).join(' ')}…`,
      received: `${found.length} weights shaped ${found.slice(0, 6).join(' ')}…`,
    });
  }
  model.setWeights(saved.getWeights());
  saved.dispose();
  logger.info(`warm start: weights from ${dir}`);
}

function resolveSpec(model: TTrainParams['model'], numClasses: number, graph: TTransformGraph): TModelSpec {
  if (typeof model !== 'string') return model;
  const template = modelTemplates[model as keyof typeof modelTemplates];
  if (!template) {
    throw new PipelineError('INVALID_INPUT', `unknown model template '${model}'`, {
      expected: `one of ${Object.keys(modelTemplates).join(', ')}, or a model spec object`,
      received: model,
    });
  }
  return template({ numClasses, features: graph.outputs });
}

/**
 * Trains a model on the transformed training split (TFX Trainer): builds it from a template or
 * a JSON spec, fits it with validation on the eval split, stores loss/accuracy per batch and per
 * epoch as metric points while it runs, writes TensorBoard logs in Keras's layout, keeps a
 * checkpoint per epoch in the stage's work dir (a killed run resumes from the newest), and saves
 * the trained TF.js Layers model.
 */
export async function executeTrain(
  ctx: ExecutorContext<Outputs>,
  { examples, transformGraph }: ResolvedInputs<Inputs>,
  params: TTrainParams,
): Promise<ExecutorOutputs<Outputs>> {
  const backend = await selectBackend(ctx.settings.backend ? { forced: ctx.settings.backend } : {});
  ctx.logger.info(
    `backend ${backend.backend}${backend.threads ? ` (${backend.threads} threads)` : ''}${backend.tensorflowVersion ? `, TensorFlow ${backend.tensorflowVersion}` : ''}${backend.graphFunctions ? ', steps as graph functions' : ''}; tfjs ${backend.tfjsVersion}` +
      (backend.skipped.length > 0 ? `; skipped ${backend.skipped.map((s) => `${s.backend} (${s.reason})`).join(', ')}` : ''),
  );
  const graph = parseTransformGraph(await readFile(transformGraphPath(transformGraph.uri), 'utf8'));
  if (graph.label?.kind !== 'class') {
    throw new PipelineError('INVALID_INPUT', 'training needs a class label in the transform', {
      expected: "a TransformGraph with label { kind: 'class' }",
      received: graph.label ? `a ${graph.label.kind} label` : 'no label',
    });
  }
  const classNames = graph.label.classNames;
  for (const split of [params.trainSplit]) {
    if (!examples.properties.splitNames.includes(split)) {
      throw new PipelineError('INVALID_INPUT', 'cannot train', { expected: `a split named '${split}'`, received: `splits ${examples.properties.splitNames.join(', ')}` });
    }
  }
  ctx.progress.update({ done: 0, unit: 'batches', message: 'reading examples' });
  const train = await readSplit(examples.uri, params.trainSplit);
  const validation = examples.properties.splitNames.includes(params.evalSplit) ? await readSplit(examples.uri, params.evalSplit) : undefined;
  ctx.logger.info(`training on ${train.length} ${params.trainSplit} rows${validation ? `, validating on ${validation.length} ${params.evalSplit} rows` : ''}`);

  const spec = resolveSpec(params.model, classNames.length, graph);
  const { model, inputNames } = buildModel(spec, { features: graph.outputs, numClasses: classNames.length });
  compileModel(model, params.compile);
  if (params.warmStartFrom) await warmStart(model, params.warmStartFrom, ctx.logger);
  const summary = summarizeModel(model);
  await writeFile(modelSummaryPath(ctx.outputs.model.uri), `${JSON.stringify(summary, null, 2)}\n`);
  for (const line of formatModelSummary(summary).split('\n')) ctx.logger.info(line);

  const logdir = tensorboardLogdir(ctx.outputs.modelRun.uri);
  const writers = await createKerasRunWriters(logdir);
  writers.train.graph(JSON.stringify(model.toJSON(null, false)));
  // HParams at the logdir root, so TensorBoard links both runs' metrics to them.
  const hparams = await createSummaryWriter(logdir);
  hparams.hparams(
    {
      model: typeof params.model === 'string' ? params.model : 'custom',
      optimizer: params.compile.optimizer.type,
      learning_rate: params.compile.optimizer.learningRate,
      batch_size: params.fit.batchSize,
      epochs: params.fit.epochs,
      seed: params.fit.seed,
      backend: backend.backend,
      ...(backend.tensorflowVersion ? { tensorflow_version: backend.tensorflowVersion } : {}),
    },
    [
      { group: 'train', tag: 'epoch_loss' },
      { group: 'train', tag: 'epoch_accuracy' },
      { group: 'validation', tag: 'epoch_loss' },
      { group: 'validation', tag: 'epoch_accuracy' },
    ],
  );
  await hparams.close();

  const batches = Math.min(Math.ceil(train.length / params.fit.batchSize), params.fit.maxStepsPerEpoch ?? Infinity);
  const total = batches * params.fit.epochs;
  const checkpoints = join(ctx.workDir, 'checkpoints');
  let lastEpochLine = '';
  const onEpochEnd = async ({ epoch, epochs, logs }: TEpochEnd) => {
    const points: { tag: string; step: number; value: number }[] = [];
    for (const [key, value] of Object.entries(logs)) {
      if (['epoch', 'learningRate', 'seconds', 'examplesPerSecond'].includes(key)) continue;
      const isValidation = key.startsWith('val_');
      const metric = isValidation ? key.slice(4) : key;
      points.push({ tag: isValidation ? TRAIN_TAGS.validation(metric) : TRAIN_TAGS.epoch(metric), step: epoch, value });
      (isValidation ? writers.validation : writers.train).scalar(`epoch_${metric}`, value, epoch);
    }
    points.push({ tag: TRAIN_TAGS.learningRate, step: epoch, value: logs.learningRate });
    points.push({ tag: TRAIN_TAGS.throughput, step: epoch, value: logs.examplesPerSecond });
    writers.train.scalar('epoch_learning_rate', logs.learningRate, epoch);
    ctx.metrics.write(points);
    if (params.histogramEvery > 0 && (epoch + 1) % params.histogramEvery === 0) {
      for (const weight of model.weights) {
        const values = await weight.read().data();
        writers.train.histogram(`${weight.originalName}`, values, epoch);
      }
    }
    await writers.train.flush();
    await writers.validation.flush();
    lastEpochLine = `epoch ${epoch + 1}/${epochs}: ${Object.entries(logs)
      .filter(([key]) => key.includes('loss') || key.includes('accuracy'))
      .map(([key, value]) => `${key} ${value.toFixed(4)}`)
      .join(', ')} (${logs.examplesPerSecond.toFixed(0)} examples/s)`;
    ctx.logger.info(lastEpochLine);
  };

  const result = await fitModel({
    model,
    inputNames,
    graph,
    train,
    ...(validation ? { validation } : {}),
    config: params.fit,
    checkpointDir: checkpoints,
    signal: ctx.signal,
    callbacks: {
      onBatchEnd: ({ epoch, batch, step, logs }) => {
        if (step % params.fit.batchMetricsEvery === 0) {
          const points = Object.entries(logs).map(([metric, value]) => ({ tag: TRAIN_TAGS.batch(metric), step, value }));
          ctx.metrics.write(points);
          for (const point of points) writers.train.scalar(point.tag.slice('train/'.length), point.value, step);
        }
        ctx.progress.update({
          done: step + 1,
          total,
          unit: 'batches',
          message: `epoch ${epoch + 1}/${params.fit.epochs} batch ${batch + 1}/${batches} loss ${(logs.loss ?? NaN).toFixed(4)}${logs.accuracy === undefined ? '' : ` acc ${logs.accuracy.toFixed(4)}`}`,
        });
      },
      onEpochEnd,
    },
  }).finally(() => writers.close());

  if (result.resumedFromEpoch > 0) ctx.logger.info(`resumed from the checkpoint after epoch ${result.resumedFromEpoch}`);
  if (backend.graphFunctions) {
    const { compiled, eagerReason } = result.graphSteps;
    const line = `${compiled.toLocaleString('en-US')} training steps ran as TensorFlow graph functions`;
    if (eagerReason) ctx.logger.warn(`${line}; the others ran op by op because ${eagerReason}`);
    else ctx.logger.info(line);
  }
  if (result.stoppedEarly) ctx.logger.info(`stopped early after epoch ${result.epochsDone}${result.bestEpoch === null ? '' : `; restored the weights of epoch ${result.bestEpoch + 1}`}`);
  await saveModelToDirectory(model, modelDir(ctx.outputs.model.uri), { includeOptimizer: true });
  await writeFile(trainingHistoryPath(ctx.outputs.modelRun.uri), `${JSON.stringify(result.history, null, 2)}\n`);
  // The work dir is dropped once the stage completes: keep the checkpoints with the run.
  await mkdir(ctx.outputs.modelRun.uri, { recursive: true });
  await rm(checkpointsDir(ctx.outputs.modelRun.uri), { recursive: true, force: true });
  await rename(checkpoints, checkpointsDir(ctx.outputs.modelRun.uri)).catch(() => undefined);
  model.dispose();

  return {
    model: {
      framework: 'tfjs-layers',
      backend: backend.backend,
      ...(backend.tensorflowVersion ? { tensorflowVersion: backend.tensorflowVersion } : {}),
      ...(backend.graphFunctions !== undefined ? { graphFunctions: backend.graphFunctions } : {}),
      paramCount: summary.totalParams,
      classNames,
      inputNames,
    },
    modelRun: {
      epochs: result.epochsDone,
      stoppedEarly: result.stoppedEarly,
      resumedFromEpoch: result.resumedFromEpoch,
      final: Object.fromEntries(Object.entries(result.history.at(-1) ?? {}).filter(([key]) => key.includes('loss') || key.includes('accuracy'))),
    },
  };
}
