import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { withKernelScope, type KernelScope } from './kernel-scope';
import { toChannelsLast } from './layout';
import { cropNegativePads } from './spatial';
import { heapF32, makeF32Output } from './wasm-heap';

/**
 * Patch depths (filterHeight·filterWidth·inChannels) up to this use im2col + one matrix
 * product; deeper ones the transposed convolution. The im2col convolution costs depth² per
 * pixel, so it only pays for first layers (depth 9 for a 3×3 grey image, 27 for RGB), where
 * the transposed convolution would have to pack the huge output gradient as its filter.
 */
const MAX_IM2COL_DEPTH = 32;

/**
 * The filter gradient of a 2-D convolution, composed of ops that XNNPACK runs fast (the stock
 * wasm backend has no Conv2DBackpropFilter at all, so a CNN cannot train on it without this):
 *
 *   dW[kh, kw, ci, co] = Σ_{n, i, j} x[n, i·s + kh − pad, j·s + kw − pad, ci] · dy[n, i, j, co]
 */
export const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as unknown as Conv2DBackpropFilterInputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  return withKernelScope(backend, 'wasm', (scope) => {
    const xNhwc = toChannelsLast(scope, x as TensorInfo, dataFormat);
    const dyNhwc = toChannelsLast(scope, dy as TensorInfo, dataFormat);
    const info = backend_util.computeConv2DInfo(
      xNhwc.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const depth = info.filterHeight * info.filterWidth * info.inChannels;
    return depth <= MAX_IM2COL_DEPTH
      ? viaIm2col(scope, xNhwc, dyNhwc, info, { strides, pad, dimRoundingMode })
      : viaTransposedConv(scope, xNhwc, dyNhwc, info);
  });
};

/**
 * x transposed to [ci, H, W, n] (the batch becomes the channels) convolved with dy transposed
 * to [oh, ow, n, co] (the output gradient becomes the filter), dilated by the stride, stride 1;
 * the result [ci, fh, fw, co] is transposed back to [fh, fw, ci, co].
 */
function viaTransposedConv(scope: KernelScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth, inHeight, inWidth } = info;
  // Rows of x the forward pass read: from −padTop to (outHeight−1)·stride + filterHeight − 1 − padTop.
  const bottom = (outHeight - 1) * strideHeight + filterHeight - inHeight - info.padInfo.top;
  const right = (outWidth - 1) * strideWidth + filterWidth - inWidth - info.padInfo.left;
  const cropped = cropNegativePads(scope, x, [info.padInfo.top, bottom], [info.padInfo.left, right]);
  const xBatchAsChannels = scope.run('Transpose', { x: cropped.x }, { perm: [3, 1, 2, 0] });
  const dyAsFilter = scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const grad = scope.run(
    'Conv2D',
    { x: xBatchAsChannels, filter: dyAsFilter },
    { strides: 1, pad: cropped.pads, dataFormat: 'NHWC', dilations: [strideHeight, strideWidth] },
  );
  return scope.run('Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
}

/**
 * im2col by the forward convolution itself (same strides and padding) with a one-hot filter
 * that copies each patch into the channels — exact, since every output is x·1 plus zeros —
 * then dW as one XNNPACK matrix product, computed as dWᵀ = dyᵀ · patches. Why that way round:
 * XNNPACK packs the right operand as weights, and with dy [pixels, co] there the product is slow
 * — 600 ms for the RPS first layer (700,928 pixels, 27 × 64) — against 140 ms for dyᵀ · patches
 * plus 180 ms to transpose dy (and a 64 × 27 transpose back). It looked fast before only because
 * the bias gradient's Sum had packed the same dy (a shared data id) just before.
 */
function viaIm2col(
  scope: KernelScope,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  forward: Pick<Conv2DBackpropFilterAttrs, 'strides' | 'pad' | 'dimRoundingMode'>,
): TensorInfo {
  const { filterHeight, filterWidth, inChannels, outChannels } = info;
  const depth = filterHeight * filterWidth * inChannels;
  const onehot = patchFilter(scope, filterHeight, filterWidth, inChannels);
  const patches = scope.run(
    'Conv2D',
    { x, filter: onehot },
    { strides: forward.strides, pad: forward.pad, ...(forward.dimRoundingMode ? { dimRoundingMode: forward.dimRoundingMode } : {}), dataFormat: 'NHWC', dilations: 1 },
  );
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const patchRows = scope.run('Reshape', { x: patches }, { shape: [pixels, depth] });
  const dyRows = scope.run('Reshape', { x: dy }, { shape: [pixels, outChannels] });
  const gradTransposed = scope.run('BatchMatMul', { a: dyRows, b: patchRows }, { transposeA: true, transposeB: false });
  const grad = scope.run('Transpose', { x: gradTransposed }, { perm: [1, 0] });
  return scope.run('Reshape', { x: grad }, { shape: [filterHeight, filterWidth, inChannels, outChannels] });
}

/** The [fh, fw, ci, fh·fw·ci] filter with a single 1 per output channel: (kh, kw, c) → (kh·fw + kw)·ci + c. */
function patchFilter(scope: KernelScope, filterHeight: number, filterWidth: number, inChannels: number): TensorInfo {
  const depth = filterHeight * filterWidth * inChannels;
  const filter = scope.track(makeF32Output(scope.backend, [filterHeight, filterWidth, inChannels, depth]));
  const values = heapF32(scope.backend, filter);
  values.fill(0);
  // Row (kh, kw, c) of the [depth, depth] matrix is output channel (kh·fw + kw)·ci + c: the identity.
  for (let row = 0; row < depth; row++) values[row * depth + row] = 1;
  return filter;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
