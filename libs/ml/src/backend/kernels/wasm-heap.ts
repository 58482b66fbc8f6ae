import type { TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of BackendWasm (not in its public typings) that reading the heap needs. */
type WasmBackendInternals = {
  wasm: { HEAPU8: Uint8Array; wasmMemory?: WebAssembly.Memory };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32' | 'int32' | 'bool'): TensorInfo;
};

/**
 * A float32 view of a tensor in the wasm heap, no copy. In the threaded build the memory is
 * shared and may have grown on another thread, leaving `HEAPU8` a view of the old, shorter
 * buffer; the memory object always has the current one.
 */
export function heapF32(backend: object, info: TensorInfo): Float32Array {
  const internals = backend as unknown as WasmBackendInternals;
  const entry = internals.dataIdMap.get(info.dataId);
  if (entry === undefined) throw new Error(`tensor data ${String(info.dataId)} is not on the wasm backend`);
  const buffer = internals.wasm.wasmMemory?.buffer ?? internals.wasm.HEAPU8.buffer;
  return new Float32Array(buffer, entry.memoryOffset, sizeOf(info.shape));
}

/** A view of a numeric tensor in the wasm heap in its own element type, no copy. */
export function heapView(backend: object, info: TensorInfo): Float32Array | Int32Array | Uint8Array {
  const internals = backend as unknown as WasmBackendInternals;
  const entry = internals.dataIdMap.get(info.dataId);
  if (entry === undefined) throw new Error(`tensor data ${String(info.dataId)} is not on the wasm backend`);
  const buffer = internals.wasm.wasmMemory?.buffer ?? internals.wasm.HEAPU8.buffer;
  const size = sizeOf(info.shape);
  switch (info.dtype) {
    case 'float32':
      return new Float32Array(buffer, entry.memoryOffset, size);
    case 'int32':
      return new Int32Array(buffer, entry.memoryOffset, size);
    case 'bool':
      return new Uint8Array(buffer, entry.memoryOffset, size);
    default:
      throw new Error(`no heap view for dtype ${info.dtype}`);
  }
}

/** Allocates a tensor of `dtype` in the wasm heap (its contents are undefined until written). */
export function makeOutput(backend: object, shape: number[], dtype: 'float32' | 'int32' | 'bool'): TensorInfo {
  return (backend as unknown as WasmBackendInternals).makeOutput(shape, dtype);
}

/** Allocates a float32 tensor in the wasm heap (its contents are undefined until written). */
export function makeF32Output(backend: object, shape: number[]): TensorInfo {
  return (backend as unknown as WasmBackendInternals).makeOutput(shape, 'float32');
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((size, dim) => size * dim, 1);
}
