import * as tf from '@tensorflow/tfjs-core';
import { registerWasmBackend } from '../../libs/ml/src/backend/wasm-backend.ts';
import { MODELS, randomBatch, type TBenchModel } from './models.ts';
const name = (process.argv[2] ?? 'fmnist') as TBenchModel;
registerWasmBackend({ threads: Number(process.argv[3] ?? 2) });
await tf.setBackend('wasm');
const spec = MODELS[name];
const model = spec.build();
const { xs, ys } = randomBatch(spec, 32);
for (let i = 0; i < 2; i++) { const t = performance.now(); await model.trainOnBatch(xs, ys); console.log("warmup", i, (performance.now() - t).toFixed(0)); }
const steps = name === 'rps' ? 3 : 20;
const t0 = performance.now();
for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
const ms = (performance.now() - t0) / steps;
console.log(`${name}: ${ms.toFixed(1)} ms/step, ${(32000 / ms).toFixed(0)} img/s`);
const prof = await tf.profile(async () => { await model.trainOnBatch(xs, ys); });
const byName = new Map<string, { ms: number; n: number }>();
for (const k of prof.kernels) { const e = byName.get(k.name) ?? { ms: 0, n: 0 }; e.ms += Number(k.kernelTimeMs); e.n++; byName.set(k.name, e); }
const total = [...byName.values()].reduce((a, b) => a + b.ms, 0);
console.log('kernels total', total.toFixed(1), 'ms, count', prof.kernels.length);
for (const [k, v] of [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) console.log(k.padEnd(24), v.ms.toFixed(1).padStart(8), String(v.n).padStart(4));
console.log(tf.memory().numTensors);
