import { Slice, slice_util, util, type KernelConfig, type KernelFunc, type SliceAttrs, type SliceInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { runStockWasmKernel } from './stock-kernels';
import { heapView, makeOutput } from './wasm-heap';

/**
 * Slice that copies only the slice. The stock wasm Slice first copies the *whole* input out of
 * the heap (`readSync`), so cutting a few rows off a 40 MB activation costs ~30 ms; this one
 * copies the slice's contiguous runs straight from heap to heap.
 */
export const slice: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as unknown as SliceInputs;
  const xInfo = x as TensorInfo;
  if (xInfo.dtype === 'string' || xInfo.dtype === 'complex64') {
    return runStockWasmKernel(Slice, { inputs: { x: xInfo }, backend, attrs });
  }
  const { begin, size } = attrs as unknown as SliceAttrs;
  const [starts = [], sizes = []] = slice_util.parseSliceParams(xInfo, begin, size);
  const out = makeOutput(backend, sizes, xInfo.dtype);
  if (util.sizeFromShape(sizes) === 0) return out;
  const source = heapView(backend, xInfo);
  const target = heapView(backend, out);
  const strides = util.computeStrides(xInfo.shape);
  if (slice_util.isSliceContinous(xInfo.shape, starts, sizes)) {
    const from = slice_util.computeFlatOffset(starts, strides);
    target.set(source.subarray(from, from + target.length));
    return out;
  }
  copyRuns(source, target, xInfo.shape, strides, starts, sizes);
  return out;
};

/** Copies the slice one innermost row at a time, walking the outer indices like an odometer. */
function copyRuns(
  source: Float32Array | Int32Array | Uint8Array,
  target: Float32Array | Int32Array | Uint8Array,
  shape: readonly number[],
  strides: readonly number[],
  starts: readonly number[],
  sizes: readonly number[],
): void {
  const rank = shape.length;
  const run = sizes[rank - 1]!;
  const index = new Array<number>(Math.max(0, rank - 1)).fill(0);
  let written = 0;
  for (;;) {
    let from = starts[rank - 1]!;
    for (let axis = 0; axis < rank - 1; axis++) from += (starts[axis]! + index[axis]!) * strides[axis]!;
    target.set(source.subarray(from, from + run), written);
    written += run;
    let axis = rank - 2;
    while (axis >= 0) {
      index[axis] = index[axis]! + 1;
      if (index[axis]! < sizes[axis]!) break;
      index[axis] = 0;
      axis--;
    }
    if (axis < 0) return;
  }
}

export const sliceConfig: KernelConfig = { kernelName: Slice, backendName: 'wasm', kernelFunc: slice };
