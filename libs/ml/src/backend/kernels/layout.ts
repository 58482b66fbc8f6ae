import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope';

/** The wasm backend's convolutions are NHWC only; NCHW tensors are transposed in and out. */
export function toChannelsLast(scope: KernelScope, x: TensorInfo, dataFormat: 'NHWC' | 'NCHW'): TensorInfo {
  return dataFormat === 'NCHW' ? scope.run('Transpose', { x }, { perm: [0, 2, 3, 1] }) : x;
}

export function fromChannelsLast(scope: KernelScope, x: TensorInfo, dataFormat: 'NHWC' | 'NCHW'): TensorInfo {
  return dataFormat === 'NCHW' ? scope.run('Transpose', { x }, { perm: [0, 3, 1, 2] }) : x;
}

/** NHWC shape of a shape given in `dataFormat`. */
export function channelsLastShape(shape: readonly number[], dataFormat: 'NHWC' | 'NCHW'): [number, number, number, number] {
  const [n = 0, a = 0, b = 0, c = 0] = shape;
  return dataFormat === 'NCHW' ? [n, b, c, a] : [n, a, b, c];
}
