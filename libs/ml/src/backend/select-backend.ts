import * as tf from '@tensorflow/tfjs-core';
import { PipelineError } from '@tsfx/shared';
import { loadNativePackage } from './native/load-native-package';
import { allowGraphFunctions, graphFunctionsEnabled } from './native/graph-function/compiled-model';
import { nativeBackend, registerNativeKernelFixes } from './native/native-backend';
import { registerUnsortedSegmentSum } from './kernels/unsorted-segment-sum';
import { getWasmBackendInfo, registerWasmBackend } from './wasm-backend';

export type TBackendName = 'tensorflow' | 'wasm' | 'cpu';

export type TSelectBackendOptions = {
  /** Use this backend or fail (TSFX_BACKEND); undefined picks the fastest installed. */
  forced?: TBackendName;
  /** XNNPACK threads of the wasm backend. Default 2. */
  threads?: number;
  /** Run training steps and inference as TensorFlow graph functions on the tensorflow backend when its build has them. Default true. */
  graphFunctions?: boolean;
};

/** Which backend runs, and why the faster ones do not: stored with every run. */
export type TBackendSelection = {
  backend: TBackendName;
  tfjsVersion: string;
  /** The native TensorFlow library's version (tensorflow backend only). */
  tensorflowVersion?: string;
  /** The npm package that provided the tensorflow backend. */
  package?: string;
  /** Whether TensorFlow placed ops on a GPU (tfjs-node-gpu with CUDA). */
  gpu?: boolean;
  /** tfjs-node kernels tsfx replaced with faster native versions (tensorflow backend only). */
  kernelFixes?: string[];
  /** Whether training steps and inference run as TensorFlow graph functions (tensorflow backend built by setup:native). */
  graphFunctions?: boolean;
  threads?: number;
  simd?: boolean;
  skipped: { backend: string; reason: string }[];
};

let selected: TBackendSelection | undefined;

async function tryNative(skipped: TBackendSelection['skipped']): Promise<TBackendSelection | undefined> {
  const load = await loadNativePackage();
  if (!load.ok) {
    skipped.push(...load.failures);
    return undefined;
  }
  try {
    await tf.setBackend('tensorflow');
    await tf.ready();
    const kernelFixes = registerNativeKernelFixes();
    const { binding } = nativeBackend();
    return {
      backend: 'tensorflow',
      tfjsVersion: tf.version_core,
      tensorflowVersion: binding.TF_Version,
      package: load.package,
      gpu: binding.isUsingGpuDevice(),
      kernelFixes: [...kernelFixes],
      graphFunctions: graphFunctionsEnabled(),
      skipped,
    };
  } catch (error) {
    skipped.push({ backend: load.package, reason: `loaded but does not start: ${(error as Error).message.split('\n')[0]}` });
    return undefined;
  }
}

async function useWasm(threads: number, skipped: TBackendSelection['skipped']): Promise<TBackendSelection> {
  const current = getWasmBackendInfo();
  if (!current || current.threads !== threads) registerWasmBackend({ threads });
  registerUnsortedSegmentSum();
  await tf.setBackend('wasm');
  await tf.ready();
  const info = getWasmBackendInfo();
  return { backend: 'wasm', tfjsVersion: tf.version_core, threads: info?.threads ?? threads, simd: true, skipped };
}

async function useCpu(skipped: TBackendSelection['skipped']): Promise<TBackendSelection> {
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  await tf.ready();
  return { backend: 'cpu', tfjsVersion: tf.version_core, skipped };
}

/**
 * Picks the fastest TF.js backend this machine has — the native TensorFlow binding
 * (`tensorflow`), then WebAssembly with SIMD, 2 threads and the composed training kernels, then
 * the plain JavaScript `cpu` backend — switches to it, and says why faster ones were skipped.
 * Once selected, later calls with the same request return the same selection.
 */
export async function selectBackend(options: TSelectBackendOptions = {}): Promise<TBackendSelection> {
  const threads = options.threads ?? 2;
  allowGraphFunctions(options.graphFunctions ?? true);
  if (selected && (options.forced === undefined || options.forced === selected.backend) && (selected.backend !== 'wasm' || selected.threads === threads)) {
    if (tf.getBackend() !== selected.backend) await tf.setBackend(selected.backend);
    if (selected.backend === 'tensorflow') selected = { ...selected, graphFunctions: graphFunctionsEnabled() };
    return selected;
  }
  const skipped: TBackendSelection['skipped'] = [];
  if (options.forced === 'tensorflow') {
    const native = await tryNative(skipped);
    if (!native) {
      throw new PipelineError('INVALID_INPUT', 'the tensorflow backend was asked for (TSFX_BACKEND=tensorflow) but cannot be used', {
        expected: '@tensorflow/tfjs-node(-gpu) installed and loadable (npm run setup:native)',
        received: skipped.map((s) => `${s.backend}: ${s.reason}`).join('; '),
      });
    }
    selected = native;
  } else if (options.forced === 'wasm') {
    selected = await useWasm(threads, skipped);
  } else if (options.forced === 'cpu') {
    selected = await useCpu(skipped);
  } else {
    selected = (await tryNative(skipped)) ?? (await useWasm(threads, skipped).catch(async (error: unknown) => {
      skipped.push({ backend: 'wasm', reason: (error as Error).message });
      return useCpu(skipped);
    }));
  }
  return selected;
}
