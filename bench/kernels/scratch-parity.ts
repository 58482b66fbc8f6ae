import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerWasmBackend } from '../../libs/ml/src/backend/wasm-backend.ts';
registerWasmBackend({ threads: 2 });
await tf.setBackend('wasm');
function rnd(shape: number[], ints = false) { const n = shape.reduce((a, b) => a * b, 1); const v = new Float32Array(n); for (let i = 0; i < n; i++) v[i] = ints ? Math.floor(Math.random() * 3) - 1 : Math.random() * 2 - 1; return v; }
async function both(f: () => tf.Tensor) {
  await tf.setBackend('cpu'); const c = f(); const cv = c.dataSync().slice(); c.dispose();
  await tf.setBackend('wasm'); const before = (tf.backend() as any).numDataIds(); const w = f(); const wv = w.dataSync().slice(); w.dispose();
  const after = (tf.backend() as any).numDataIds();
  let maxErr = 0, maxRef = 0; for (let i = 0; i < cv.length; i++) { maxErr = Math.max(maxErr, Math.abs(cv[i]! - wv[i]!)); maxRef = Math.max(maxRef, Math.abs(cv[i]!)); }
  return { maxErr, maxRef, leak: after - before, n: cv.length, wn: wv.length };
}
const cases: [number, number, number, number, number, number, number, number | [number, number], any][] = [
  [2, 9, 7, 3, 4, 3, 3, 1, 'same'], [3, 10, 11, 2, 5, 3, 2, 2, 'valid'], [2, 8, 8, 4, 3, 5, 5, 2, 'same'], [2, 13, 13, 8, 6, 3, 3, 1, 'valid'],
  [2, 11, 9, 3, 2, 3, 3, [2, 3], [[0, 0], [1, 2], [2, 0], [0, 0]]], [2, 10, 10, 2, 3, 2, 2, 3, 'valid'], [1, 7, 9, 2, 2, 3, 3, 2, 'same'],
];
for (const [n, h, w, ci, co, fh, fw, s, pad] of cases) {
  const xs = rnd([n, h, w, ci]); const ws = rnd([fh, fw, ci, co]);
  const info = tf.backend_util.computeConv2DInfo([n, h, w, ci], [fh, fw, ci, co], s, 1, pad);
  const dys = rnd(info.outShape);
  const bf = await both(() => tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xs, [n, h, w, ci]), dy: tf.tensor(dys, info.outShape) }, { strides: s, pad, dataFormat: 'NHWC', filterShape: [fh, fw, ci, co] }) as tf.Tensor);
  const bi = await both(() => tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.tensor(dys, info.outShape), filter: tf.tensor4d(ws, [fh, fw, ci, co]) }, { strides: s, pad, dataFormat: 'NHWC', inputShape: [n, h, w, ci] }) as tf.Tensor);
  console.log(JSON.stringify([n, h, w, ci, co, fh, fw, s, pad]), 'bf', bf, 'bi', bi);
}
for (const [n, h, w, c, f, s, pad, ints] of [[2, 8, 8, 3, 2, 2, 'valid', true], [2, 9, 7, 3, 3, 2, 'same', true], [2, 9, 9, 2, 3, 1, 'same', false], [1, 13, 13, 4, 2, 2, 'valid', false], [2, 7, 7, 2, 2, 3, 'valid', true]] as const) {
  const xs = rnd([n, h, w, c], ints);
  const info = tf.backend_util.computePool2DInfo([n, h, w, c], f, s, 1, pad);
  const dys = rnd(info.outShape);
  const mp = await both(() => { const x = tf.tensor4d(xs, [n, h, w, c]); const y = tf.maxPool(x, f, s, pad); return tf.engine().runKernel('MaxPoolGrad', { dy: tf.tensor(dys, info.outShape), input: x, output: y }, { filterSize: f, strides: s, pad }) as tf.Tensor; });
  const ap = await both(() => tf.engine().runKernel('AvgPoolGrad', { dy: tf.tensor(dys, info.outShape), input: tf.tensor4d(xs, [n, h, w, c]) }, { filterSize: f, strides: s, pad }) as tf.Tensor);
  console.log('pool', [n, h, w, c, f, s, pad, ints].join(','), 'max', mp, 'avg', ap);
}
