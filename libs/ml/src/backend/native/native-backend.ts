import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { nativeGatherKernel } from './gather-kernel';
import { oneDnnMaxPoolGradKernel, probeOneDnnMaxPool } from './max-pool-grad';
import { nativeAwareReluGradient, nativeReluGradKernel } from './relu-grad';
import { useNativeDropout } from './native-dropout';
import { nativeStepKernel } from './step-kernel';

/** An op attribute as tfjs-node's binding takes it. */
export type NativeOpAttr = { name: string; type: number; value: unknown };

/** A TensorFlow eager tensor handle as the binding returns it. */
export type NativeTensorMetadata = { id: number; shape: number[]; dtype: number };

/** The parts of tfjs-node's NodeJSKernelBackend our kernels use (the package is optional, so untyped here). */
export type NativeBackend = {
  binding: {
    TF_Version: string;
    TF_FLOAT: number;
    TF_INT32: number;
    TF_BOOL: number;
    TF_ATTR_TYPE: number;
    TF_ATTR_FLOAT: number;
    TF_ATTR_INT: number;
    TF_ATTR_STRING: number;
    TF_ATTR_BOOL: number;
    TF_ATTR_SHAPE: number;
    isUsingGpuDevice(): boolean;
    executeOp(name: string, attrs: NativeOpAttr[], inputIds: number[], outputs: number): NativeTensorMetadata[];
    createTensor(shape: number[], dtype: number, values: Float32Array): number;
    tensorDataSync(id: number): Float32Array;
    deleteTensor(id: number): void;
  };
  executeSingleOutput(name: string, attrs: NativeOpAttr[], inputs: TensorInfo[]): tf.Tensor;
  getInputTensorIds(tensors: TensorInfo[]): number[];
  createOutputTensor(metadata: NativeTensorMetadata): tf.Tensor;
};

/** TensorFlow's DataType number of a tfjs dtype that crosses into TensorFlow as is, or undefined (string, complex64). */
export function tensorflowDataType(binding: NativeBackend['binding'], dtype: tf.DataType): number | undefined {
  const byName: Partial<Record<tf.DataType, number>> = { float32: binding.TF_FLOAT, int32: binding.TF_INT32, bool: binding.TF_BOOL };
  return byName[dtype];
}

export function nativeBackend(): NativeBackend {
  return tf.findBackend('tensorflow') as unknown as NativeBackend;
}

let replaced: string[] | undefined;

/**
 * Replaces tfjs-node kernels that profiling showed dominate a training step (see
 * bench/train/profile.ts) with native-op versions, each checked against the stock kernel by the
 * backend parity suite. Returns what it replaced; idempotent.
 */
export function registerNativeKernelFixes(): readonly string[] {
  if (replaced) return replaced;
  const stockStep = tf.getKernel(tf.Step, 'tensorflow');
  if (!stockStep) throw new Error('the tensorflow backend has no Step kernel to replace: is @tensorflow/tfjs-node loaded?');
  const done: string[] = [];
  tf.unregisterKernel(tf.Step, 'tensorflow');
  tf.registerKernel(nativeStepKernel(stockStep.kernelFunc));
  done.push('Step (native ops)');
  tf.registerKernel(nativeReluGradKernel);
  const reluGradient = tf.getGradient(tf.Relu);
  if (reluGradient) {
    tf.registerGradient(nativeAwareReluGradient(reluGradient));
    done.push('Relu gradient (ReluGrad op)');
  }
  const stockMaxPoolGrad = tf.getKernel(tf.MaxPoolGrad, 'tensorflow');
  if (stockMaxPoolGrad && probeOneDnnMaxPool(nativeBackend())) {
    tf.unregisterKernel(tf.MaxPoolGrad, 'tensorflow');
    tf.registerKernel(oneDnnMaxPoolGradKernel(stockMaxPoolGrad.kernelFunc));
    done.push('MaxPoolGrad (oneDNN)');
  }
  tf.unregisterKernel(tf.GatherV2, 'tensorflow');
  tf.registerKernel(nativeGatherKernel);
  done.push('GatherV2 (range checked by TensorFlow)');
  useNativeDropout();
  done.push('Dropout mask (RandomUniform op)');
  replaced = done;
  return replaced;
}
