import { backend_util, Sum, util, type KernelConfig, type KernelFunc, type SumAttrs, type SumInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { runStockWasmKernel } from './stock-kernels';
import { heapF32, makeF32Output } from './wasm-heap';

/** Rows summed per pass over the accumulators: each accumulator is loaded and stored once per block. */
const ROWS_PER_BLOCK = 8;

/**
 * Sums over the leading axes (a bias gradient: Σ over batch, height and width of an NHWC
 * activation) in one pass over the wasm heap. The stock wasm Sum only reduces innermost axes, so
 * it first transposes the whole activation (280 ms for a 32×148×148×64 gradient). A matrix
 * product ones[1, R] · x[R, C] takes 8 ms when repeated on the same tensor but 360 ms on a fresh
 * one: XNNPACK packs x, its right operand, as weights and keeps them for that tensor, and in
 * training every gradient is new. This loop reads x once: 35 ms. Accumulating in float64 also
 * makes long sums (R = 700,928 rows there) more accurate than float32 would.
 * Other reductions go to the stock kernel.
 */
export const sum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x } = inputs as unknown as SumInputs;
  const xInfo = x as TensorInfo;
  const { axis, keepDims } = attrs as unknown as SumAttrs;
  const axes = util.parseAxisParam(axis, xInfo.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.every((a, i) => a === i);
  if (xInfo.dtype !== 'float32' || !leading) return runStockWasmKernel(Sum, { inputs: { x: xInfo }, backend, attrs: { axis, keepDims } });
  const rows = util.sizeFromShape(xInfo.shape.slice(0, axes.length));
  const columns = util.sizeFromShape(xInfo.shape.slice(axes.length));
  const kept = xInfo.shape.slice(axes.length);
  const out = makeF32Output(backend, keepDims ? backend_util.expandShapeToKeepDim(kept, axes) : kept);
  // Views after allocating: allocation may grow the heap.
  sumRowsInto(heapF32(backend, xInfo), rows, columns, heapF32(backend, out));
  return out;
};

/** out[j] = Σ_r x[r·columns + j], for a row-major [rows, columns] matrix. */
export function sumRowsInto(x: Float32Array, rows: number, columns: number, out: Float32Array): void {
  const totals = new Float64Array(columns);
  const block = ROWS_PER_BLOCK * columns;
  const blocked = Math.floor(rows / ROWS_PER_BLOCK) * block;
  const [c1, c2, c3, c4, c5, c6, c7] = [1, 2, 3, 4, 5, 6, 7].map((k) => k * columns) as [number, number, number, number, number, number, number];
  let row = 0;
  for (; row < blocked; row += block) {
    for (let j = 0; j < columns; j++) {
      const at = row + j;
      totals[j] =
        totals[j]! + (x[at]! + x[at + c1]! + (x[at + c2]! + x[at + c3]!) + (x[at + c4]! + x[at + c5]! + (x[at + c6]! + x[at + c7]!)));
    }
  }
  for (; row < rows * columns; row += columns) {
    for (let j = 0; j < columns; j++) totals[j] = totals[j]! + x[row + j]!;
  }
  out.set(totals);
}

export const sumConfig: KernelConfig = { kernelName: Sum, backendName: 'wasm', kernelFunc: sum };
