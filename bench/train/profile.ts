// Where a training step goes: times one step of the Fashion-MNIST and rock-paper-scissors
// templates kernel by kernel (tf.profile), built and compiled exactly as the train stage does
// (template → buildModel → compileModel with the stage's default compile spec), batch 32.
// Prints the measured step time and img/s, then a table per kernel and per kernel × layer sorted
// by time with its share of the step, and the achieved GFLOP/s of every convolution kernel.
//
//   npx tsx bench/train/profile.ts [fmnist|rps|all] [--backend wasm|tensorflow|cpu] [--steps N]
//
// Not a benchmark against a peer (see throughput.ts for that): a map of where the time goes.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { buildModel, compileModel, modelTemplates, selectBackend, type TBackendName, type TModelTemplateName } from '@tsfx/ml';
import { PipelineError } from '@tsfx/shared';
import { ZTrainParams } from '../../libs/pipeline/src/stages/train/spec';

const BATCH = 32;

type TProfiledModel = {
  key: 'fmnist' | 'rps';
  template: TModelTemplateName;
  shape: [number, number, number];
  classes: number;
  warmup: number;
  /** Unprofiled steps timed for the step time. */
  steps: number;
  /** Profiled steps averaged for the per-kernel table. */
  profiled: number;
};

const MODELS: TProfiledModel[] = [
  { key: 'fmnist', template: 'fashion-mnist-cnn', shape: [28, 28, 1], classes: 10, warmup: 5, steps: 30, profiled: 5 },
  { key: 'rps', template: 'rps-cnn', shape: [150, 150, 3], classes: 3, warmup: 2, steps: 4, profiled: 2 },
];

type TOptions = { models: TProfiledModel[]; backend: TBackendName; stepsScale: number };

function parseArguments(argv: string[]): TOptions {
  let which = 'all';
  let backend: TBackendName = 'wasm';
  let stepsScale = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--backend') {
      const value = argv[++i];
      if (value !== 'wasm' && value !== 'tensorflow' && value !== 'cpu') {
        throw new PipelineError('INVALID_INPUT', 'bad --backend', { expected: 'wasm, tensorflow or cpu', received: String(value) });
      }
      backend = value;
    } else if (arg === '--steps') {
      const value = Number(argv[++i]);
      if (!(value > 0)) throw new PipelineError('INVALID_INPUT', 'bad --steps', { expected: 'a positive multiplier of the default step counts', received: String(argv[i]) });
      stepsScale = value;
    } else {
      which = arg;
    }
  }
  const models = which === 'all' ? MODELS : MODELS.filter((model) => model.key === which);
  if (models.length === 0) throw new PipelineError('INVALID_INPUT', 'unknown model', { expected: 'fmnist, rps or all', received: which });
  return { models, backend, stepsScale };
}

/** A layer's shapes, to name the layer a kernel call belongs to and count its convolution FLOPs. */
type TLayerShapes = { name: string; input: number[]; output: number[]; kernel?: number[] };

function layerShapes(model: LayersModel): TLayerShapes[] {
  return model.layers.map((layer) => {
    const withBatch = (shape: (number | null)[]) => shape.map((dim) => dim ?? BATCH);
    // `originalName`: tfjs-layers suffixes `name` (conv2d/kernel_1) once a second model reuses a layer name.
    const kernel = layer.weights.find((weight) => weight.originalName.endsWith('/kernel'));
    return {
      name: layer.name,
      input: withBatch(layer.inputSpec?.[0]?.shape ?? (layer.input as { shape: (number | null)[] }).shape),
      output: withBatch((layer.output as { shape: (number | null)[] }).shape),
      ...(kernel ? { kernel: kernel.shape as number[] } : {}),
    };
  });
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((dim, i) => dim === b[i]);

/**
 * The layer a convolution, pooling or matrix-product kernel call ran for: the one whose input (or,
 * for a gradient, output) shape is among the call's shapes, and whose kernel shape is too when it
 * has one. Element-wise kernels are left unattributed: their shapes are shared by several layers.
 */
const ATTRIBUTED = /^(Conv2D|FusedConv2D|Conv2DBackprop|MaxPool|AvgPool|BatchMatMul|_FusedMatMul)/;

function attribute(kernel: { name: string; inputShapes: number[][]; outputShapes: number[][] }, layers: TLayerShapes[]): TLayerShapes | undefined {
  if (!ATTRIBUTED.test(kernel.name)) return undefined;
  const shapes = [...kernel.inputShapes, ...kernel.outputShapes].filter((shape): shape is number[] => Array.isArray(shape));
  const has = (target: readonly number[]) => shapes.some((shape) => sameShape(shape, target) || sameShape(shape, [1, ...target]));
  return layers.find((layer) => {
    if (layer.kernel) return has(layer.kernel) && (has(layer.input) || has(layer.output));
    return !/^(BatchMatMul|_FusedMatMul|Conv)/.test(kernel.name) && has(layer.input) && has(layer.output);
  });
}

/** Multiply-adds ×2 of a convolution layer's forward pass: 2·N·OH·OW·FH·FW·CI·CO (its two gradients cost the same). */
function convFlops(layer: TLayerShapes): number | undefined {
  if (!layer.kernel || layer.kernel.length !== 4 || layer.output.length !== 4) return undefined;
  const [n, oh, ow] = layer.output as [number, number, number, number];
  const [fh, fw, ci, co] = layer.kernel as [number, number, number, number];
  return 2 * n * oh * ow * fh * fw * ci * co;
}

type TRow = { kernel: string; layer: string; calls: number; ms: number; flops?: number };

async function timeSteps(model: LayersModel, x: tf.Tensor, y: tf.Tensor, steps: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  return (performance.now() - start) / steps;
}

async function profileModel(spec: TProfiledModel, stepsScale: number): Promise<void> {
  const features = [{ name: 'image_xf', dtype: 'float32' as const, shape: spec.shape }];
  const { model } = buildModel(modelTemplates[spec.template]({ numClasses: spec.classes, features }), { features, numClasses: spec.classes });
  // The train stage's default compile spec (sparse categorical cross-entropy, Adam 1e-3, accuracy).
  compileModel(model, ZTrainParams.parse({ model: spec.template }).compile);
  const x = tf.randomUniform([BATCH, ...spec.shape], 0, 1, 'float32', 1);
  // The train stage feeds class ids as a [batch, 1] float32 column (training/feed.ts).
  const y = tf.tensor2d(Array.from({ length: BATCH }, (_, i) => i % spec.classes), [BATCH, 1], 'float32');
  const layers = layerShapes(model);

  await timeSteps(model, x, y, spec.warmup);
  const stepMs = await timeSteps(model, x, y, Math.max(1, Math.round(spec.steps * stepsScale)));

  const profiledSteps = Math.max(1, Math.round(spec.profiled * stepsScale));
  const rows = new Map<string, TRow>();
  const byKernel = new Map<string, TRow>();
  let kernelMs = 0;
  let profiledWallMs = 0;
  for (let step = 0; step < profiledSteps; step++) {
    const start = performance.now();
    const profile = await tf.profile(async () => {
      await model.trainOnBatch(x, y);
    });
    profiledWallMs += performance.now() - start;
    for (const kernel of profile.kernels) {
      const ms = Number(await kernel.kernelTimeMs) / profiledSteps;
      kernelMs += ms;
      const layer = attribute(kernel, layers);
      const flops = layer ? convFlops(layer) : undefined;
      const isConv = /^(Conv2D|FusedConv2D|Conv2DBackprop)/.test(kernel.name);
      // Unattributed kernels are told apart by their first input's shape instead.
      const where = layer?.name ?? `[${kernel.inputShapes[0]?.join(',') ?? ''}]`;
      const key = `${kernel.name}|${where}`;
      const row = rows.get(key) ?? { kernel: kernel.name, layer: where, calls: 0, ms: 0, ...(isConv && flops ? { flops } : {}) };
      row.calls += 1 / profiledSteps;
      row.ms += ms;
      rows.set(key, row);
      const total = byKernel.get(kernel.name) ?? { kernel: kernel.name, layer: '', calls: 0, ms: 0 };
      total.calls += 1 / profiledSteps;
      total.ms += ms;
      byKernel.set(kernel.name, total);
    }
  }
  profiledWallMs /= profiledSteps;
  tf.dispose([x, y]);
  model.dispose();

  console.log(`\n## ${spec.template} (${spec.shape.join('×')}, batch ${BATCH})`);
  console.log(`step ${stepMs.toFixed(1)} ms → ${((BATCH * 1000) / stepMs).toFixed(1)} img/s (mean of ${Math.max(1, Math.round(spec.steps * stepsScale))} steps after ${spec.warmup} warm-up)`);
  // tf.profile times each kernel call on the calling thread; on threaded wasm XNNPACK joins its
  // workers before returning, so the sum must come close to the step: what is left is tfjs-layers'
  // JavaScript (tape, optimizer bookkeeping, reading the loss back).
  const coverage = kernelMs / stepMs;
  console.log(
    `kernels sum to ${kernelMs.toFixed(1)} ms = ${(coverage * 100).toFixed(0)}% of the unprofiled step ` +
      `(profiled step ${profiledWallMs.toFixed(1)} ms wall; ${profiledSteps} profiled step${profiledSteps > 1 ? 's' : ''} averaged)`,
  );
  if (coverage > 1.1 || coverage < 0.7) {
    console.log(`WARNING: kernel times do not add up to the step (${(coverage * 100).toFixed(0)}%): per-kernel shares below are not trustworthy`);
  }
  printTable('by kernel', [...byKernel.values()], stepMs, 12);
  printTable('by kernel × layer (or input shape)', [...rows.values()], stepMs, 16);
}

function printTable(title: string, rows: TRow[], stepMs: number, limit: number): void {
  const sorted = rows.sort((a, b) => b.ms - a.ms);
  console.log(`\n${title} (top ${Math.min(limit, sorted.length)} of ${sorted.length}):`);
  console.log(`${'kernel'.padEnd(22)} ${'layer or input shape'.padEnd(20)} ${'calls'.padStart(5)} ${'ms'.padStart(8)} ${'% step'.padStart(7)} ${'GFLOP/s'.padStart(8)}`);
  for (const row of sorted.slice(0, limit)) {
    const gflops = row.flops ? (row.flops / (row.ms / 1000) / 1e9).toFixed(1) : '';
    console.log(
      `${row.kernel.padEnd(22)} ${row.layer.padEnd(20)} ${row.calls.toFixed(0).padStart(5)} ${row.ms.toFixed(1).padStart(8)} ${((row.ms / stepMs) * 100).toFixed(1).padStart(6)}% ${gflops.padStart(8)}`,
    );
  }
}

const options = parseArguments(process.argv.slice(2));
const backend = await selectBackend({ forced: options.backend });
console.log(`backend ${backend.backend}${backend.threads ? ` (${backend.threads} threads)` : ''}, tfjs ${backend.tfjsVersion}`);
for (const spec of options.models) await profileModel(spec, options.stepsScale);
// The threaded wasm build's worker threads would keep the process alive.
process.exit(0);
