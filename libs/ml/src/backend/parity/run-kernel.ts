import * as tf from '@tensorflow/tfjs-core';
import type { TNumbers } from './compare';
import type { TTensorData } from './seeded-tensors';

/** One kernel call to run on every backend with the same inputs. */
export type TKernelCase = {
  kernel: string;
  /** Shape and attributes in a few words, for the test name and failure messages. */
  label: string;
  inputs: Record<string, TTensorData>;
  attrs: tf.NamedAttrMap;
  /**
   * Inputs computed from `inputs` on the backend under test, as training computes them (MaxPool's
   * forward output for MaxPoolGrad). Made and disposed inside the leak check.
   */
  derive?: (inputs: Record<string, tf.Tensor>) => Record<string, tf.Tensor>;
  /**
   * How the reference backend computes the expected output where its own kernel is wrong (cpu's
   * AvgPoolGrad): runs instead of `kernel` when `runKernelCase` is asked for the reference.
   */
  reference?: (inputs: Record<string, tf.Tensor>) => tf.Tensor;
};

export type TKernelRun = {
  shape: number[];
  dtype: tf.DataType;
  values: TNumbers;
  /** Tensors the engine still counts after the call and the disposal of its inputs and output. */
  leakedTensors: number;
  /** Data buffers the backend still holds: catches intermediates a composed kernel forgot to free. */
  leakedDataIds: number;
};

/**
 * Switches to `backendName`, runs `kernelCase` through the engine (or its `reference` function
 * when `asReference`), and reads the output back.
 */
export async function runKernelCase(backendName: string, kernelCase: TKernelCase, asReference = false): Promise<TKernelRun> {
  await tf.setBackend(backendName);
  const backend = tf.backend();
  const tensorsBefore = tf.memory().numTensors;
  const dataIdsBefore = backend.numDataIds();
  const inputs: Record<string, tf.Tensor> = {};
  const made: tf.Tensor[] = [];
  try {
    for (const [name, data] of Object.entries(kernelCase.inputs)) made.push((inputs[name] = tf.tensor(data.values, data.shape, data.dtype)));
    const derived = kernelCase.derive?.(inputs) ?? {};
    made.push(...Object.values(derived));
    const all = { ...inputs, ...derived };
    const output = asReference && kernelCase.reference ? kernelCase.reference(all) : (tf.engine().runKernel(kernelCase.kernel, all, kernelCase.attrs) as tf.Tensor);
    made.push(output);
    const result = { shape: output.shape, dtype: output.dtype, values: (await output.data()) as TNumbers };
    tf.dispose(made);
    return { ...result, leakedTensors: tf.memory().numTensors - tensorsBefore, leakedDataIds: backend.numDataIds() - dataIdsBefore };
  } finally {
    // A kernel that throws must not leave its inputs behind for the next case's leak check.
    tf.dispose(made);
  }
}
