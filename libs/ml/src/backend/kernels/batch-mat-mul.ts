import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type BatchMatMulInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { withKernelScope, type KernelScope } from './kernel-scope';

/**
 * Matrix products with a transposed operand through XNNPACK. The stock wasm BatchMatMul uses
 * XNNPACK only for a single, untransposed product and falls back to a scalar loop otherwise,
 * and every gradient of a Dense layer is such a product (dx = dy·Wᵀ, dW = xᵀ·dy): 10–40× slower
 * than the forward pass. Transposing the operand first (one copy) puts them on the fast path.
 * Batched products (a leading dimension above 1) are left to the stock kernel.
 */
export const batchMatMul: KernelFunc = ({ inputs, backend, attrs }) => {
  const { a, b } = inputs as unknown as BatchMatMulInputs;
  const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
  const aInfo = a as TensorInfo;
  const bInfo = b as TensorInfo;
  return withKernelScope(backend, 'wasm', (scope) => {
    const single = leadingSize(aInfo.shape) === 1 && leadingSize(bInfo.shape) === 1;
    if (!single || (!transposeA && !transposeB) || aInfo.dtype !== 'float32' || bInfo.dtype !== 'float32') {
      return scope.runStock(BatchMatMul, { a: aInfo, b: bInfo }, { transposeA, transposeB });
    }
    const left = transposeA ? swapLastTwo(scope, aInfo) : aInfo;
    const right = transposeB ? swapLastTwo(scope, bInfo) : bInfo;
    return scope.runStock(BatchMatMul, { a: left, b: right }, { transposeA: false, transposeB: false });
  });
};

function leadingSize(shape: readonly number[]): number {
  return shape.slice(0, -2).reduce((size, dim) => size * dim, 1);
}

function swapLastTwo(scope: KernelScope, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return scope.run('Transpose', { x }, { perm });
}

export const batchMatMulConfig: KernelConfig = { kernelName: BatchMatMul, backendName: 'wasm', kernelFunc: batchMatMul };
