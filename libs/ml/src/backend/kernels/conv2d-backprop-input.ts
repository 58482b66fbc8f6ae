import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { withKernelScope } from './kernel-scope';
import { channelsLastShape, fromChannelsLast, toChannelsLast } from './layout';
import { cropNegativePads, spreadByStride } from './spatial';

/**
 * The input gradient of a 2-D convolution (a transposed convolution), as one forward
 * convolution that XNNPACK runs fast: dy, spread apart by the stride and padded by
 * filter − 1 − pad, convolved with the filter flipped in space and with its channel axes
 * swapped ([fh, fw, co, ci]). The stock wasm kernel is a scalar loop, about 10× slower.
 */
export const conv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as unknown as Conv2DBackpropInputInputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  return withKernelScope(backend, 'wasm', (scope) => {
    const info = backend_util.computeConv2DInfo(
      channelsLastShape(inputShape, dataFormat),
      (filter as TensorInfo).shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth, inHeight, inWidth } = info;
    const flipped = scope.run('Reverse', { x: filter as TensorInfo }, { dims: [0, 1] });
    const swapped = scope.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
    const spread = spreadByStride(scope, toChannelsLast(scope, dy as TensorInfo, dataFormat), strideHeight, strideWidth);
    const top = filterHeight - 1 - info.padInfo.top;
    const left = filterWidth - 1 - info.padInfo.left;
    const bottom = inHeight + filterHeight - 1 - outHeight * strideHeight - top;
    const right = inWidth + filterWidth - 1 - outWidth * strideWidth - left;
    const cropped = cropNegativePads(scope, spread, [top, bottom], [left, right]);
    const dx = scope.run('Conv2D', { x: cropped.x, filter: swapped }, { strides: 1, pad: cropped.pads, dataFormat: 'NHWC', dilations: 1 });
    return fromChannelsLast(scope, dx, dataFormat);
  });
};

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput,
};
