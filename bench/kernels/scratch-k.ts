import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerWasmBackend } from '../../libs/ml/src/backend/wasm-backend.ts';
import { getStockWasmKernel } from '../../libs/ml/src/backend/kernels/register.ts';
const threads = Number(process.argv[2] ?? 2);
registerWasmBackend({ threads });
await tf.setBackend('wasm');
function time(label: string, f: () => tf.Tensor, n = 3) {
  f().dispose();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const r = f(); r.dataSync(); r.dispose(); }
  const ms = (performance.now() - t0) / n;
  console.log(label.padEnd(40), ms.toFixed(1), 'ms');
  return ms;
}
const shapes = [
  { name: 'fmnist c2', x: [32, 13, 13, 32], f: [3, 3, 32, 64] },
  { name: 'rps c1', x: [32, 150, 150, 3], f: [3, 3, 3, 64] },
  { name: 'rps c2', x: [32, 74, 74, 64], f: [3, 3, 64, 64] },
] as const;
for (const s of shapes) {
  const x = tf.randomNormal(s.x as unknown as number[]) as tf.Tensor4D;
  const w = tf.randomNormal(s.f as unknown as number[]) as tf.Tensor4D;
  const y = tf.conv2d(x, w, 1, 'valid');
  const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
  const flops = 2 * y.size * s.f[0] * s.f[1] * s.f[2];
  const g = (ms: number) => (flops / ms / 1e6).toFixed(1) + ' GFLOP/s';
  const fwd = time(`${s.name} conv fwd`, () => tf.conv2d(x, w, 1, 'valid'));
  console.log('   ', g(fwd));
  const bi = time(`${s.name} ours backpropInput`, () => tf.conv2dTranspose(dy, w, x.shape, 1, 'valid'));
  console.log('   ', g(bi));
  const bf = time(`${s.name} ours backpropFilter`, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: w.shape }) as tf.Tensor);
  console.log('   ', g(bf));
  const stock = getStockWasmKernel('Conv2DBackpropInput');
  if (stock && s.name !== "rps c2") {
    stock.setupFunc?.(tf.backend());
    const be = tf.backend();
    const si = time(`${s.name} stock backpropInput`, () => { const info = stock.kernelFunc({ inputs: { dy, filter: w }, backend: be, attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: x.shape } }) as tf.TensorInfo; return tf.engine().makeTensorFromTensorInfo(info); }, 1);
    console.log('   ', g(si));
  }
  tf.dispose([x, w, y, dy]);
}
console.log(tf.memory().numTensors);
// pools
for (const [n, h, c] of [[32, 26, 32], [32, 148, 64], [32, 72, 64]] as const) {
  const x = tf.relu(tf.randomNormal([n, h, h, c])) as tf.Tensor4D;
  const y = tf.maxPool(x, 2, 2, 'valid');
  const dy = tf.randomNormal(y.shape);
  time(`maxpoolgrad stock ${n}x${h}x${h}x${c}`, () => tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor);
  time(`maxpool fwd ${n}x${h}x${h}x${c}`, () => tf.maxPool(x, 2, 2, 'valid'));
  time(`relu ${n}x${h}x${h}x${c}`, () => tf.relu(x));
  time(`mul ${n}x${h}x${h}x${c}`, () => tf.mul(x, x));
  time(`step ${n}x${h}x${h}x${c}`, () => tf.step(x));
  time(`avgpoolgrad stock ${n}x${h}x${h}x${c}`, () => tf.engine().runKernel('AvgPoolGrad', { dy, input: x }, { filterSize: 2, strides: 2, pad: 'valid' }) as tf.Tensor);
  tf.dispose([x, y, dy]);
}
