import { backend_util, GatherV2, scalar } from '@tensorflow/tfjs-core';
import type { GatherV2Attrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { tensorflowDataType, type NativeBackend } from './native-backend';

/**
 * GatherV2 (embeddings) without tfjs-node's JavaScript range check, which reads every index back
 * from TensorFlow before the op runs: a sync point per embedding lookup, and one that keeps a
 * training step from being traced into a graph function. TensorFlow's GatherV2 checks the range
 * itself and fails with the offending index ("indices[3] = 40 is not in [0, 30)").
 */
export const nativeGatherKernel: KernelConfig = {
  kernelName: GatherV2,
  backendName: 'tensorflow',
  kernelFunc: (args) => {
    const { x, indices } = args.inputs as unknown as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
    const backend = args.backend as NativeBackend;
    const { binding } = backend;
    const dataType = (tensor: TensorInfo) => {
      const number = tensorflowDataType(binding, tensor.dtype);
      if (number === undefined) throw new Error(`GatherV2 on the tensorflow backend takes float32, int32 or bool tensors, got ${tensor.dtype}`);
      return number;
    };
    // Validates the shapes (not the values), as the stock kernel does.
    backend_util.segment_util.collectGatherOpShapeInfo(x as never, indices as never, axis, batchDims);
    const axisTensor = scalar(axis, 'int32');
    try {
      return backend.executeSingleOutput(
        GatherV2,
        [
          { name: 'batch_dims', type: binding.TF_ATTR_INT, value: batchDims },
          { name: 'Tparams', type: binding.TF_ATTR_TYPE, value: dataType(x) },
          { name: 'Tindices', type: binding.TF_ATTR_TYPE, value: dataType(indices) },
          { name: 'Taxis', type: binding.TF_ATTR_TYPE, value: binding.TF_INT32 },
        ],
        [x, indices, axisTensor],
      );
    } finally {
      axisTensor.dispose();
    }
  },
};
