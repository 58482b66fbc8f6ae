import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { nativeBackend } from './native-backend';

type DropoutLayer = {
  rate: number;
  seed?: number;
  getNoiseShape(input: tf.Tensor): number[] | undefined;
  invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): void;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
};

let replaced = false;

/**
 * Uniform noise in [0, 1) from TensorFlow's `RandomUniform` op, which a graph function runs
 * afresh on every call. tfjs draws dropout masks in JavaScript and uploads them: one more upload
 * per step, and a mask that a traced training step would bake in as a constant.
 */
export function nativeRandomUniform(shape: readonly number[]): tf.Tensor {
  const backend = nativeBackend();
  const { binding } = backend;
  const shapeTensor = tf.tensor1d(shape as number[], 'int32');
  try {
    const [noise] = binding.executeOp(
      'RandomUniform',
      [
        // Seeds 0/0: TensorFlow seeds the generator itself, like tfjs's unseeded dropout.
        { name: 'seed', type: binding.TF_ATTR_INT, value: 0 },
        { name: 'seed2', type: binding.TF_ATTR_INT, value: 0 },
        { name: 'dtype', type: binding.TF_ATTR_TYPE, value: binding.TF_FLOAT },
        { name: 'T', type: binding.TF_ATTR_TYPE, value: binding.TF_INT32 },
      ],
      backend.getInputTensorIds([shapeTensor]),
      1,
    );
    return backend.createOutputTensor(noise!);
  } finally {
    shapeTensor.dispose();
  }
}

/**
 * Makes tfjs-layers' Dropout draw its mask with `nativeRandomUniform` on the tensorflow backend
 * (the same formula: x · ⌊u + keep⌋ / keep). A layer with its own `seed` keeps tfjs's seeded
 * JavaScript generator, and other backends are untouched. Returns whether it replaced it now.
 */
export function useNativeDropout(): boolean {
  if (replaced) return false;
  const prototype = Object.getPrototypeOf(layers.dropout({ rate: 0.5 })) as DropoutLayer;
  const stock = prototype.call;
  prototype.call = function call(this: DropoutLayer, inputs, kwargs) {
    const training = kwargs['training'] === true;
    if (!training || this.seed != null || !(this.rate > 0 && this.rate < 1) || tf.getBackend() !== 'tensorflow') return stock.call(this, inputs, kwargs);
    return tf.tidy(() => {
      this.invokeCallHook(inputs, kwargs);
      const input = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      const keep = 1 - this.rate;
      const noise = nativeRandomUniform(this.getNoiseShape(input) ?? input.shape);
      return tf.mul(input, tf.div(tf.floor(tf.add(noise, keep)), keep));
    });
  };
  replaced = true;
  return true;
}
