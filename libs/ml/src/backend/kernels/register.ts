import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
// Registers the stock wasm kernels, so that the ones replaced below are captured first.
import '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { avgPoolGradConfig, maxPoolGradConfig } from './pool-grad';

/** The composed kernels, in registration order. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  maxPoolGradConfig,
  avgPoolGradConfig,
];

/** The stock wasm kernels that ours replace, captured before replacing them (for benchmarks and tests). */
const stockKernels = new Map<string, KernelConfig>();

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
      if (!stockKernels.has(config.kernelName)) stockKernels.set(config.kernelName, existing);
      // Unregister first: registerKernel warns when it overwrites.
      unregisterKernel(config.kernelName, 'wasm');
    }
    registerKernel(config);
  }
}

/** Puts the stock kernels back (and drops the ones the stock backend lacks). */
export function unregisterWasmTrainingKernels(): void {
  for (const config of WASM_TRAINING_KERNELS) {
    if (getKernel(config.kernelName, 'wasm') !== config) continue;
    unregisterKernel(config.kernelName, 'wasm');
    const stock = stockKernels.get(config.kernelName);
    if (stock !== undefined) registerKernel(stock);
  }
}

/** The stock wasm kernel that `kernelName` replaced, if any (only known after registering). */
export function getStockWasmKernel(kernelName: string): KernelConfig | undefined {
  return stockKernels.get(kernelName) ?? (WASM_TRAINING_KERNELS.some((k) => k.kernelName === kernelName) ? undefined : getKernel(kernelName, 'wasm'));
}
