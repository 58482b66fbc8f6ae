import * as tf from '@tensorflow/tfjs-core';
import { registerWasmBackend } from '../../libs/ml/src/backend/wasm-backend.ts';
registerWasmBackend({ threads: 2 });
await tf.setBackend('wasm');
function time(label: string, f: () => tf.Tensor | void, n = 2) {
  const r0 = f(); if (r0) r0.dispose();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const r = f(); if (r) r.dispose(); }
  const ms = (performance.now() - t0) / n;
  console.log(label.padEnd(50), ms.toFixed(1), 'ms');
  return ms;
}
const shapes = [
  { name: 'fmnist c1', x: [32, 28, 28, 1], co: 32 },
  { name: 'fmnist c2', x: [32, 13, 13, 32], co: 64 },
  { name: 'rps c1', x: [32, 150, 150, 3], co: 64 },
  { name: 'rps c2', x: [32, 74, 74, 64], co: 64 },
  { name: 'rps c3', x: [32, 36, 36, 64], co: 128 },
  { name: 'rps c4', x: [32, 17, 17, 128], co: 128 },
];
const only = process.argv[2];
for (const s of shapes) {
  if (only && !s.name.includes(only)) continue;
  const [n, h, w, ci] = s.x as [number, number, number, number];
  const x = tf.randomNormal(s.x) as tf.Tensor4D;
  const dy = tf.randomNormal([n, h - 2, w - 2, s.co]) as tf.Tensor4D;
  const flops = 2 * dy.size * 9 * ci;
  const ms = time(`${s.name} ours (kernel)`, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, ci, s.co] }) as tf.Tensor);
  console.log('   ', (flops / ms / 1e6).toFixed(1), 'GFLOP/s');
  time(`${s.name} transpose dy`, () => tf.transpose(dy, [1, 2, 0, 3]));
  time(`${s.name} transpose x`, () => tf.transpose(x, [3, 1, 2, 0]));
  for (const nb of [1, 2, 4, 8, 16]) {
    const ms2 = time(`${s.name} chunked nb=${nb}`, () => tf.tidy(() => {
      let acc: tf.Tensor | undefined;
      for (let b = 0; b < n; b += nb) {
        const xc = tf.transpose(tf.slice(x, [b, 0, 0, 0], [nb, -1, -1, -1]), [3, 1, 2, 0]) as tf.Tensor4D;
        const dc = tf.transpose(tf.slice(dy, [b, 0, 0, 0], [nb, -1, -1, -1]), [1, 2, 0, 3]) as tf.Tensor4D;
        const part = tf.conv2d(xc, dc, 1, 'valid');
        acc = acc ? tf.add(acc, part) : part;
      }
      return tf.transpose(acc!, [1, 2, 0, 3]);
    }));
    console.log('   ', (flops / ms2 / 1e6).toFixed(1), 'GFLOP/s');
  }
  // im2col via identity conv + matmul
  const K = 9 * ci;
  if (K <= 64) {
    const eye = tf.reshape(tf.eye(K), [3, 3, ci, K]) as tf.Tensor4D;
    const ms3 = time(`${s.name} im2col+matmul`, () => tf.tidy(() => {
      const p = tf.reshape(tf.conv2d(x, eye, 1, 'valid'), [-1, K]);
      const d = tf.reshape(dy, [-1, s.co]);
      return tf.reshape(tf.matMul(tf.transpose(p), d), [3, 3, ci, s.co]);
    }));
    console.log('   ', (flops / ms3 / 1e6).toFixed(1), 'GFLOP/s');
  }
  tf.dispose([x, dy]);
}
