// Training throughput (img/s, batch 32) of the Fashion-MNIST and rock-paper-scissors CNN templates
// on tsfx's default backend, and of the same models in PyTorch and Keras in the same run, printed
// as ratios. A peer that cannot run is reported as unavailable, not skipped.
//
//   npx tsx bench/train/throughput.ts
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { buildModel, compileModel, modelTemplates, selectBackend, type TModelTemplateName } from '@tsfx/ml';

const BATCH = 32;

async function tsfxImagesPerSecond(template: TModelTemplateName, shape: [number, number, number], classes: number, warmup: number, steps: number) {
  const features = [{ name: 'image_xf', dtype: 'float32' as const, shape }];
  const { model } = buildModel(modelTemplates[template]({ numClasses: classes, features }), { features, numClasses: classes });
  compileModel(model, { loss: 'sparseCategoricalCrossentropy', optimizer: { type: 'adam', learningRate: 0.001 }, metrics: ['accuracy'] });
  const x = tf.randomUniform([BATCH, ...shape]);
  const y = tf.tensor2d(Array.from({ length: BATCH }, (_, i) => i % classes), [BATCH, 1]);
  let start = 0;
  for (let i = 0; i < warmup + steps; i++) {
    if (i === warmup) start = performance.now();
    await model.trainOnBatch(x, y);
  }
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([x, y]);
  model.dispose();
  return (BATCH * steps) / seconds;
}

function peer(script: string): { result?: Record<string, number | string>; unavailable?: string } {
  const run = spawnSync('python3', [join(import.meta.dirname, script), '2'], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) return { unavailable: (run.stderr || run.error?.message || 'failed').trim().split('\n').at(-1) ?? 'failed' };
  return { result: JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') };
}

const backend = await selectBackend();
console.log(`tsfx backend: ${backend.backend}${backend.threads ? ` (${backend.threads} threads)` : ''}, tfjs ${backend.tfjsVersion}`);
const ours = {
  fmnist: await tsfxImagesPerSecond('fashion-mnist-cnn', [28, 28, 1], 10, 5, 60),
  rps: await tsfxImagesPerSecond('rps-cnn', [150, 150, 3], 3, 2, 8),
};
const torch = peer('peer_torch.py');
const keras = spawnSync('python3', ['-c', 'import tensorflow'], { encoding: 'utf8' }).status === 0
  ? peer('peer_keras.py')
  : { unavailable: 'tensorflow is not installed (pip install tensorflow-cpu)' };

const cell = (value: number | undefined, base: number) => (value === undefined ? 'unavailable' : `${value.toFixed(1)} img/s (tsfx ${(base / value).toFixed(2)}×)`);
for (const name of ['fmnist', 'rps'] as const) {
  const value = ours[name];
  console.log(`${name.padEnd(7)} tsfx ${value.toFixed(1)} img/s | PyTorch ${cell(torch.result?.[name] as number | undefined, value)} | Keras ${cell(keras.result?.[name] as number | undefined, value)}`);
}
console.log(`PyTorch: ${torch.unavailable ? `unavailable (${torch.unavailable})` : `torch ${torch.result?.['version']}, ${torch.result?.['threads']} threads`}`);
console.log(`Keras: ${keras.unavailable ? `unavailable (${keras.unavailable})` : `tensorflow ${keras.result?.['version']}, ${keras.result?.['threads']} threads`}`);
process.exit(0);
