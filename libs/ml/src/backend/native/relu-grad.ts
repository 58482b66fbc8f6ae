import * as tf from '@tensorflow/tfjs-core';
import type { GradConfig, KernelConfig, NamedTensorMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeBackend } from './native-backend';

/** A kernel tfjs-core does not have: TensorFlow's fused ReLU gradient, dy · (x > 0), in one pass. */
export const NATIVE_RELU_GRAD = 'TsfxNativeReluGrad';

export const nativeReluGradKernel: KernelConfig = {
  kernelName: NATIVE_RELU_GRAD,
  backendName: 'tensorflow',
  kernelFunc: ({ inputs, backend }) => {
    const native = backend as NativeBackend;
    const type = [{ name: 'T', type: native.binding.TF_ATTR_TYPE, value: native.binding.TF_FLOAT }];
    return native.executeSingleOutput('ReluGrad', type, [inputs['dy'] as TensorInfo, inputs['x'] as TensorInfo]);
  },
};

/**
 * The Relu gradient, on the tensorflow backend, as TensorFlow's own ReluGrad op. tfjs-core's
 * gradient is `mul(dy, cast(step(x)))`: five full-size passes per ReLU layer (Step alone is four
 * native ops) where ReluGrad is one. Results are equal for finite inputs; for a NaN in x, ReluGrad
 * gives 0 where tfjs gives NaN (a NaN activation already fails training: fit stops on a NaN loss).
 * Other backends keep the stock gradient.
 */
export function nativeAwareReluGradient(stock: GradConfig): GradConfig {
  return {
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      const onNative = tf.getBackend() === 'tensorflow' && !Array.isArray(dy) && dy.dtype === 'float32';
      if (!onNative) return stock.gradFunc(dy, saved, attrs);
      const [x] = saved as Tensor[];
      return { x: () => tf.engine().runKernel(NATIVE_RELU_GRAD, { dy, x } as unknown as NamedTensorMap) as Tensor };
    },
  };
}
