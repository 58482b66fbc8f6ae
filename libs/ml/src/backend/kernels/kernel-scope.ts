import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { PipelineError } from '@tsfx/shared';
import { runStockWasmKernel } from './stock-kernels';

/**
 * Runs other kernels of the same backend from inside a kernel, at the level of TensorInfos:
 * no engine bookkeeping, no gradient tape, no Tensor objects. Every output it makes is an
 * intermediate, freed by `dispose()`, except the one handed to `keep()`. This is how the
 * composed gradient kernels reuse the backend's fast XNNPACK ops without leaking memory.
 *
 * @example
 * const scope = new KernelScope(backend, 'wasm');
 * try {
 *   const t = scope.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
 *   return scope.keep(scope.run('Conv2D', { x: t, filter }, attrs));
 * } finally {
 *   scope.dispose();
 * }
 */
export class KernelScope {
  private readonly made: TensorInfo[] = [];
  private readonly kept = new Set<TensorInfo>();

  /** The backend the kernels run on, for kernels that also write the heap directly. */
  readonly backend: KernelBackend;

  /** `backend` as a KernelFunc receives it (typed `{}` by tfjs-core). */
  constructor(
    backend: object,
    private readonly backendName: string,
  ) {
    this.backend = backend as KernelBackend;
  }

  /** Runs `kernelName` on this backend; its output is freed by `dispose()` unless kept. */
  run(kernelName: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: NamedAttrMap = {}): TensorInfo {
    const config = getKernel(kernelName, this.backendName);
    if (config === undefined) {
      throw new PipelineError('INTERNAL', `kernel ${kernelName} is not registered for backend ${this.backendName}`);
    }
    // Pack/Concat/AddN take their inputs as an array; the kernel API types them as a map.
    const output = config.kernelFunc({ inputs: inputs as Record<string, TensorInfo>, backend: this.backend, attrs });
    if (Array.isArray(output)) {
      this.made.push(...output);
      throw new PipelineError('INTERNAL', `kernel ${kernelName} returned ${output.length} outputs where one was expected`);
    }
    this.made.push(output);
    return output;
  }

  /** Runs the stock wasm kernel that one of ours replaced (see stock-kernels.ts); its output is tracked like `run`'s. */
  runStock(kernelName: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
    const output = runStockWasmKernel(kernelName, { inputs, backend: this.backend, attrs });
    this.made.push(output);
    return output;
  }

  /** Adopts a tensor made outside `run` (e.g. written straight into the heap) as an intermediate. */
  track(info: TensorInfo): TensorInfo {
    this.made.push(info);
    return info;
  }

  /** Marks `info` as the result: `dispose()` leaves it alone. */
  keep(info: TensorInfo): TensorInfo {
    this.kept.add(info);
    return info;
  }

  /** Frees every intermediate. Reshape-like kernels share data and take a reference, so each output is released once. */
  dispose(): void {
    for (const info of this.made) {
      if (!this.kept.has(info)) this.backend.disposeData(info.dataId);
    }
    this.made.length = 0;
    this.kept.clear();
  }
}

/** Runs `body` with a fresh scope and frees its intermediates whether or not it throws. */
export function withKernelScope(backend: object, backendName: string, body: (scope: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend, backendName);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}
