import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { withKernelScope } from './kernel-scope';
import { cropNegativePads } from './spatial';
import { toChannelsLast } from './layout';

/**
 * The filter gradient of a 2-D convolution, as one forward convolution that XNNPACK runs fast:
 *
 *   dW[kh, kw, ci, co] = Σ_{n, i, j} x[n, i·s + kh − pad, j·s + kw − pad, ci] · dy[n, i, j, co]
 *
 * is a convolution of x transposed to [ci, H, W, n] (the batch becomes the channels) with dy
 * transposed to [oh, ow, n, co] (the output gradient becomes the filter), dilated by the stride,
 * with stride 1. Its output, [ci, fh, fw, co], is transposed back to [fh, fw, ci, co]. The stock
 * wasm backend has no Conv2DBackpropFilter at all, so a CNN cannot train on it without this.
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
    const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth, inHeight, inWidth } = info;
    // Rows of x the forward pass read: from −padTop to (outHeight−1)·stride + filterHeight − 1 − padTop.
    const bottom = (outHeight - 1) * strideHeight + filterHeight - inHeight - info.padInfo.top;
    const right = (outWidth - 1) * strideWidth + filterWidth - inWidth - info.padInfo.left;
    const cropped = cropNegativePads(scope, xNhwc, [info.padInfo.top, bottom], [info.padInfo.left, right]);
    const xBatchAsChannels = scope.run('Transpose', { x: cropped.x }, { perm: [3, 1, 2, 0] });
    const dyAsFilter = scope.run('Transpose', { x: dyNhwc }, { perm: [1, 2, 0, 3] });
    const grad = scope.run(
      'Conv2D',
      { x: xBatchAsChannels, filter: dyAsFilter },
      { strides: 1, pad: cropped.pads, dataFormat: 'NHWC', dilations: [strideHeight, strideWidth] },
    );
    return scope.run('Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
  });
};

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
