import { engine, getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
// Registers the stock wasm kernels, so that the ones replaced below are captured first.
import '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { avgPoolGradConfig, maxPoolGradConfig } from './pool-grad';
import { batchMatMulConfig } from './batch-mat-mul';
import { sliceConfig } from './slice';
import { sumConfig } from './sum';
import { captureStockWasmKernel, getStockWasmKernel } from './stock-kernels';

export { getStockWasmKernel, runStockWasmKernel } from './stock-kernels';

/** The composed kernels, in registration order. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  maxPoolGradConfig,
  avgPoolGradConfig,
  batchMatMulConfig,
  sliceConfig,
  sumConfig,
];

/**
 * Registers the composed training kernels for the `wasm` backend, replacing the stock ones of
 * the same name. Idempotent. Kernels are looked up per call, so this works before or after the
 * backend is initialised.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of WASM_TRAINING_KERNELS) {
    const existing = getKernel(config.kernelName, 'wasm');
    if (existing === config) continue;
    if (existing !== undefined) {
      captureStockWasmKernel(config.kernelName);
      // Unregister first: registerKernel warns when it overwrites.
      unregisterKernel(config.kernelName, 'wasm');
    }
    registerKernel(config);
  }
}

/** Puts the stock kernels back (and drops the ones the stock backend lacks), e.g. to benchmark them. */
export function unregisterWasmTrainingKernels(): void {
  // An initialised backend only set up the kernels registered at the time: set up the restored ones.
  const live = engine().registry['wasm'];
  for (const config of WASM_TRAINING_KERNELS) {
    if (getKernel(config.kernelName, 'wasm') !== config) continue;
    unregisterKernel(config.kernelName, 'wasm');
    const stock = getStockWasmKernel(config.kernelName);
    if (stock === undefined) continue;
    registerKernel(stock);
    if (live !== undefined) stock.setupFunc?.(live);
  }
}
