import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, StepAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeBackend } from './native-backend';

/**
 * `Step` (the ReLU gradient's mask: 1 where x > 0, `alpha` elsewhere, NaN kept) for the
 * tensorflow backend, as four native ops. tfjs-node's own kernel builds `ones(x.shape)` and
 * `fill(x.shape, alpha)` in JavaScript and uploads them on every call: for the RPS CNN that is
 * half of a training step. Here only two scalars cross from JavaScript; SelectV2 broadcasts them.
 * Outputs are identical: the same comparisons and selections, no arithmetic.
 */
export function nativeStepKernel(fallback: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const x = args.inputs['x'] as TensorInfo;
    if (x.dtype !== 'float32') return fallback(args);
    const backend = args.backend as NativeBackend;
    const { alpha } = args.attrs as unknown as StepAttrs;
    const float = backend.binding.TF_FLOAT;
    const typeAttr = (type: number) => [{ name: 'T', type: backend.binding.TF_ATTR_TYPE, value: type }];
    return tf.tidy(() => {
      const zero = tf.scalar(0, 'float32');
      const one = tf.scalar(1, 'float32');
      const otherwise = tf.scalar(alpha ?? 0, 'float32');
      const positive = backend.executeSingleOutput('Greater', typeAttr(float), [x, zero]);
      const stepNoNans = backend.executeSingleOutput('SelectV2', typeAttr(float), [positive, one, otherwise]);
      const nans = backend.executeSingleOutput('IsNan', typeAttr(float), [x]);
      return backend.executeSingleOutput('SelectV2', typeAttr(float), [nans, x, stepNoNans]);
    });
  };
  return { kernelName: tf.Step, backendName: 'tensorflow', kernelFunc };
}
