import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// Importing the package registers the stock `wasm` backend and all of its kernels; we then
// replace the backend factory (to load the threaded build under Node) but keep its kernels.
import { BackendWasm, setThreadsCount, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { PipelineError } from '@tsfx/shared';
import { registerWasmTrainingKernels } from './kernels/register';

const require = createRequire(import.meta.url);

/** Registry priority of the stock wasm backend; we keep it so `tf.ready()` picks the same one. */
const WASM_PRIORITY = 2;
/** The most threads XNNPACK may use: emscripten pre-spawns a pool of 8 pthread workers. */
const MAX_THREADS = 8;

export type TWasmBuild = 'simd' | 'threaded-simd';

/** What the last `registerWasmBackend` call set up, read back by `selectBackend`. */
export type TWasmBackendInfo = {
  threads: number;
  build: TWasmBuild;
  version: string;
};

export type RegisterWasmBackendOptions = {
  /**
   * XNNPACK threads (the calling thread included). 1 loads the single-threaded SIMD build;
   * 2 or more load the threaded SIMD build with Node `worker_threads` as pthreads.
   * Default 2: the measured sweet spot on the 2-core machines this project targets.
   */
  threads?: number;
  /** Register the composed gradient kernels (Conv2DBackpropFilter and friends). Default true. */
  withTrainingKernels?: boolean;
};

type EmscriptenFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;
type EmscriptenModule = {
  cwrap: (name: string, ret: string | null, args: string[]) => (...args: number[]) => number;
  tfjs?: Record<string, unknown>;
};

let current: TWasmBackendInfo | undefined;
let workerScriptPath: string | undefined;

/**
 * The pthread worker script ships inside the package only as a JS string (it is meant to be
 * turned into a Blob URL in browsers). Node's `Worker` needs a file, so write it once per process.
 * `.cjs` so that Node treats it as CommonJS whatever package.json is nearby.
 */
function resolveWorkerScript(): string {
  if (workerScriptPath !== undefined && existsSync(workerScriptPath)) return workerScriptPath;
  const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
    wasmWorkerContents: string;
  };
  const dir = mkdtempSync(join(os.tmpdir(), 'tsfx-wasm-'));
  workerScriptPath = join(dir, 'tfjs-backend-wasm-threaded-simd.worker.cjs');
  // The string holds a literal newline inside a JS string literal ("\n" lost one escape when the
  // package inlined it); the stock loader re-escapes it the same way before making its Blob.
  writeFileSync(workerScriptPath, wasmWorkerContents.replace(/\n/g, '\\n'));
  return workerScriptPath;
}

function wasmOutDir(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js'));
}

/**
 * Loads an emscripten factory file as CommonJS, but with `require('os')` answering
 * `cpus().length === 2 * threads`. Why: the C++ side caps the XNNPACK thread pool at
 * `emscripten_num_logical_cores() / 2` (it assumes hyper-threading), which under Node is
 * `os.cpus().length / 2`: 1 on a 2-core machine, so a 2-thread request would silently run
 * on one. Only this module instance sees the adjusted count; the real `os` is untouched.
 */
function loadFactory(factoryFile: string, threads: number): EmscriptenFactory {
  const realRequire = createRequire(factoryFile);
  const cpus = os.cpus();
  const template = cpus[0];
  const adjustedOs = {
    ...os,
    cpus: () => (template === undefined ? [] : Array.from({ length: 2 * threads }, () => template)),
  };
  const factoryRequire = (id: string): unknown => (id === 'os' || id === 'node:os' ? adjustedOs : realRequire(id));
  const module = { exports: {} as unknown };
  const evaluate = new Function('require', 'module', 'exports', '__filename', '__dirname', readFileSync(factoryFile, 'utf8'));
  evaluate(factoryRequire, module, module.exports, factoryFile, dirname(factoryFile));
  return module.exports as EmscriptenFactory;
}

/**
 * Instantiates the emscripten module the way `@tensorflow/tfjs-backend-wasm`'s own `init()` does,
 * except that under Node it can load the threaded build: the stock loader refuses threads when
 * `IS_NODE` (tfjs#3830) and would hand emscripten Blob URLs, which `worker_threads` cannot load.
 * Here the worker is a real file and the main script URL is the package's own factory file, which
 * the worker `importScripts` (emscripten's Node shim: read + indirect eval).
 */
async function instantiateWasmModule(build: TWasmBuild, threads: number): Promise<EmscriptenModule> {
  const dir = wasmOutDir();
  const factoryFile = join(dir, build === 'threaded-simd' ? 'tfjs-backend-wasm-threaded-simd.js' : 'tfjs-backend-wasm.js');
  const wasmFile = join(dir, build === 'threaded-simd' ? 'tfjs-backend-wasm-threaded-simd.wasm' : 'tfjs-backend-wasm-simd.wasm');
  const factory = loadFactory(factoryFile, threads);
  const config: Record<string, unknown> = {
    locateFile: (path: string) => {
      if (path.endsWith('.worker.js')) return resolveWorkerScript();
      if (path.endsWith('.wasm')) return wasmFile;
      return join(dir, path);
    },
  };
  if (build === 'threaded-simd') config.mainScriptUrlOrBlob = factoryFile;
  const module = await factory(config);
  // The same cwraps as the stock init(): BackendWasm's constructor and data methods call them.
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/** True when this runtime can run the threaded wasm build (shared memory + worker threads). */
export function canUseWasmThreads(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  try {
    require('node:worker_threads');
  } catch {
    return false;
  }
  // A module that declares a shared memory and uses an atomic op (from wasm-feature-detect).
  return WebAssembly.validate(
    new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11]),
  );
}

/** True when this runtime supports WebAssembly SIMD (from wasm-feature-detect). */
export function canUseWasmSimd(): boolean {
  return WebAssembly.validate(
    new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]),
  );
}

/**
 * (Re)registers TF.js's `wasm` backend so that it runs with `threads` XNNPACK threads under
 * Node, and registers the composed training kernels. Does not switch to it: call
 * `tf.setBackend('wasm')` (or use `selectBackend`). If a `wasm` backend was already
 * initialised it is disposed, so tensors that live on it are lost.
 *
 * @example
 * registerWasmBackend({ threads: 2 });
 * await tf.setBackend('wasm');
 */
export function registerWasmBackend(options: RegisterWasmBackendOptions = {}): TWasmBackendInfo {
  const threads = options.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new PipelineError('INVALID_INPUT', 'wasm thread count out of range', {
      expected: `an integer from 1 to ${MAX_THREADS}`,
      received: String(threads),
    });
  }
  if (!canUseWasmSimd()) {
    throw new PipelineError('INVALID_INPUT', 'this runtime has no WebAssembly SIMD', {
      expected: 'Node 16.4 or newer',
      received: `Node ${process.versions.node}`,
    });
  }
  if (threads > 1 && !canUseWasmThreads()) {
    throw new PipelineError('INVALID_INPUT', 'this runtime cannot run the threaded wasm build', {
      expected: 'SharedArrayBuffer and node:worker_threads',
      received: 'neither or only one of them',
    });
  }
  const build: TWasmBuild = threads > 1 ? 'threaded-simd' : 'simd';
  if (tf.findBackendFactory('wasm') != null) tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const wasm = await instantiateWasmModule(build, threads);
      // Read by BackendWasm's constructor (init_with_threads_count): a module-level setting.
      setThreadsCount(threads);
      return new BackendWasm(wasm as unknown as ConstructorParameters<typeof BackendWasm>[0]);
    },
    WASM_PRIORITY,
  );
  if (options.withTrainingKernels ?? true) registerWasmTrainingKernels();
  current = { threads, build, version: version_wasm };
  return current;
}

/** What `registerWasmBackend` last set up, or undefined if it was never called. */
export function getWasmBackendInfo(): TWasmBackendInfo | undefined {
  return current;
}
