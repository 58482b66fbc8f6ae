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
  const oh = h - 2, ow = w - 2;
  const dy = tf.randomNormal([n, oh, ow, s.co]) as tf.Tensor4D;
  const flops = 2 * dy.size * 9 * ci;
  const ref = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, ci, s.co] }) as tf.Tensor;
  const ms = time(`${s.name} ours (kernel)`, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, ci, s.co] }) as tf.Tensor);
  console.log('   ', (flops / ms / 1e6).toFixed(1), 'GFLOP/s');
  for (const rows of [2, 4, 8, 16]) {
    if (rows >= oh) continue;
    const f = () => tf.tidy(() => {
      const xt = tf.transpose(x, [3, 1, 2, 0]);
      const dt = tf.transpose(dy, [1, 2, 0, 3]);
      let acc: tf.Tensor | undefined;
      for (let i0 = 0; i0 < oh; i0 += rows) {
        const i1 = Math.min(oh, i0 + rows);
        const xc = tf.slice(xt, [0, i0, 0, 0], [-1, i1 - i0 + 2, -1, -1]) as tf.Tensor4D;
        const dc = tf.slice(dt, [i0, 0, 0, 0], [i1 - i0, -1, -1, -1]) as tf.Tensor4D;
        const part = tf.conv2d(xc, dc, 1, 'valid');
        acc = acc ? tf.add(acc, part) : part;
      }
      return tf.transpose(acc!, [1, 2, 0, 3]);
    });
    const r = f(); const err = tf.max(tf.abs(tf.sub(r, ref))).dataSync()[0]; r.dispose();
    const ms2 = time(`${s.name} row-chunked rows=${rows} (err ${err?.toExponential(1)})`, f);
    console.log('   ', (flops / ms2 / 1e6).toFixed(1), 'GFLOP/s');
  }
  tf.dispose([x, dy, ref]);
}
