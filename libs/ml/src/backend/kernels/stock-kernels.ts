import { getKernel, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { PipelineError } from '@tsfx/shared';

/** The stock wasm kernels that ours replace, captured before replacing them. */
const stock = new Map<string, KernelConfig>();
/** Backends on which a captured kernel's setup (its cwrap of the C++ function) has run. */
const setUp = new Map<string, WeakSet<object>>();

/** Remembers the currently registered wasm kernel `kernelName` as the stock one (first capture wins). */
export function captureStockWasmKernel(kernelName: string): void {
  if (stock.has(kernelName)) return;
  const config = getKernel(kernelName, 'wasm');
  if (config !== undefined) stock.set(kernelName, config);
}

/** The stock wasm kernel that `kernelName` replaced, if one was captured. */
export function getStockWasmKernel(kernelName: string): KernelConfig | undefined {
  return stock.get(kernelName);
}

/**
 * Runs a captured stock kernel. Its setup runs first, once per backend: the engine only sets up
 * kernels registered when the backend initialises, and the stock ones may be unregistered by then.
 */
export function runStockWasmKernel(kernelName: string, args: Parameters<KernelFunc>[0]): TensorInfo {
  const config = stock.get(kernelName);
  if (config === undefined) throw new PipelineError('INTERNAL', `no stock wasm kernel ${kernelName} was captured`);
  let backends = setUp.get(kernelName);
  if (backends === undefined) {
    backends = new WeakSet();
    setUp.set(kernelName, backends);
  }
  if (!backends.has(args.backend)) {
    config.setupFunc?.(args.backend as KernelBackend);
    backends.add(args.backend);
  }
  return config.kernelFunc(args) as TensorInfo;
}
