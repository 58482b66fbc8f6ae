import * as tf from '@tensorflow/tfjs-core';
import { registerWasmBackend } from '../../libs/ml/src/backend/wasm-backend.ts';
registerWasmBackend({ threads: 2 });
await tf.setBackend('wasm');
function time(label: string, f: () => tf.Tensor, n = 3) {
  f().dispose();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f().dispose();
  console.log(label.padEnd(40), ((performance.now() - t0) / n).toFixed(1), 'ms');
}
for (const [n, h, c] of [[32, 26, 32], [32, 148, 64], [32, 72, 64]] as const) {
  const x = tf.relu(tf.randomNormal([n, h, h, c])) as tf.Tensor4D;
  const y = tf.maxPool(x, 2, 2, 'valid');
  const dy = tf.randomNormal(y.shape);
  time(`maxpoolgrad ours ${n}x${h}x${h}x${c}`, () => tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor);
  time(`avgpoolgrad ours ${n}x${h}x${h}x${c}`, () => tf.engine().runKernel('AvgPoolGrad', { dy, input: x }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor);
  time(`maxpool fwd`, () => tf.maxPool(x, 2, 2, 'valid'));
  time(`relu`, () => tf.relu(x));
  time(`mul`, () => tf.mul(x, x));
  time(`step`, () => tf.step(x));
  tf.dispose([x, y, dy]);
}
