import { backend_util, MaxPoolGrad } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeBackend, NativeOpAttr, NativeTensorMetadata } from './native-backend';

/**
 * MaxPoolGrad through oneDNN. tfjs-node runs TensorFlow's generic `MaxPoolGrad`, which re-scans
 * every window of the input to find its maximum: 140 ms of a 650 ms RPS training step, for the
 * 148×148×64 layer alone ~170 ms against ~19 ms here. TensorFlow's eager mode rewrites
 * convolutions to oneDNN but not pooling gradients (they need the forward pass's workspace), so
 * this runs oneDNN's max pool again for its workspace (~4 ms) and then its gradient. Equal to
 * the stock kernel on non-overlapping windows and with ties (both take the first maximum);
 * overlapping windows sum in another order (≤ 1 ulp-scale differences, see the parity suite).
 * Only TensorFlow builds with oneDNN (x86-64 Linux wheels) have these ops: `probe` says whether
 * this one does, and the stock kernel stays otherwise.
 */
export function oneDnnMaxPoolGradKernel(stock: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { dy, input, output } = args.inputs as unknown as { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const padding = info.padInfo.type;
    if (input.dtype !== 'float32' || (padding !== 'VALID' && padding !== 'SAME')) return stock(args);
    const backend = args.backend as NativeBackend;
    const attrs = poolAttrs(backend, [info.filterHeight, info.filterWidth], [info.strideHeight, info.strideWidth], padding);
    const [x, y, gradient] = backend.getInputTensorIds([input, output, dy]);
    return backend.createOutputTensor(runWithWorkspace(backend, attrs, x!, y!, gradient!));
  };
  return { kernelName: MaxPoolGrad, backendName: 'tensorflow', kernelFunc };
}

/** The gradient's TensorFlow handle: oneDNN max pool of x for its workspace, then the gradient. */
function runWithWorkspace(backend: NativeBackend, attrs: NativeOpAttr[], x: number, y: number, dy: number): NativeTensorMetadata {
  const { binding } = backend;
  const [pooled, workspace] = binding.executeOp('_MklNativeMaxPool', attrs, [x], 2);
  binding.deleteTensor(pooled!.id);
  try {
    const [dx] = binding.executeOp('_MklNativeMaxPoolGrad', attrs, [x, y, dy, workspace!.id], 1);
    return dx!;
  } finally {
    binding.deleteTensor(workspace!.id);
  }
}

function poolAttrs(backend: NativeBackend, size: [number, number], strides: [number, number], padding: 'VALID' | 'SAME'): NativeOpAttr[] {
  const { binding } = backend;
  return [
    { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
    { name: 'ksize', type: binding.TF_ATTR_INT, value: [1, size[0], size[1], 1] },
    { name: 'strides', type: binding.TF_ATTR_INT, value: [1, strides[0], strides[1], 1] },
    { name: 'padding', type: binding.TF_ATTR_STRING, value: padding },
    { name: 'data_format', type: binding.TF_ATTR_STRING, value: 'NHWC' },
    // oneDNN kernels are registered under this label; without it the op has no CPU kernel.
    { name: '_kernel', type: binding.TF_ATTR_STRING, value: 'MklNameChangeOp' },
  ];
}

/** Whether this TensorFlow build has oneDNN's pooling kernels (runs one tiny pool and its gradient). */
export function probeOneDnnMaxPool(backend: NativeBackend): boolean {
  const { binding } = backend;
  const x = binding.createTensor([1, 2, 2, 1], binding.TF_FLOAT, new Float32Array([1, 4, 2, 3]));
  const handles = [x];
  try {
    const attrs = poolAttrs(backend, [2, 2], [2, 2], 'VALID');
    const [y] = binding.executeOp('_MklNativeMaxPool', attrs, [x], 2);
    handles.push(y!.id);
    const dy = binding.createTensor([1, 1, 1, 1], binding.TF_FLOAT, new Float32Array([1]));
    handles.push(dy);
    const dx = runWithWorkspace(backend, attrs, x, y!.id, dy);
    handles.push(dx.id);
    const values = binding.tensorDataSync(dx.id);
    return values[1] === 1 && values[0] === 0 && values[2] === 0 && values[3] === 0;
  } catch {
    return false;
  } finally {
    for (const handle of handles) binding.deleteTensor(handle);
  }
}
