import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
for (const [b, h, ci, co] of [[8, 32, 32, 64], [32, 64, 32, 64], [32, 28, 1, 32], [32, 13, 32, 64]] as const) {
  const x = tf.randomNormal([b, h, h, ci]);
  const w = tf.randomNormal([3, 3, ci, co]);
  for (let i = 0; i < 2; i++) tf.tidy(() => { tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same").dataSync(); });
  const n = 3;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) tf.tidy(() => { tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same").dataSync(); });
  const ms = (performance.now() - t0) / n;
  const flops = 2 * b * h * h * co * 9 * ci;
  console.log(`${b}x${h}x${h}x${ci}->${co} ${ms.toFixed(1)} ms ${(flops / ms / 1e6).toFixed(1)} GFLOP/s`);
}
