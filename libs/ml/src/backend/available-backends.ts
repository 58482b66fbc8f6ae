import * as tf from '@tensorflow/tfjs-core';
import { loadNativePackage } from './native/load-native-package';
import type { TBackendName } from './select-backend';
import { registerUnsortedSegmentSum } from './kernels/unsorted-segment-sum';
import { getWasmBackendInfo, registerWasmBackend } from './wasm-backend';

/** Which TF.js backends this process can run, and for each missing one, why. */
export type TBackendAvailability = {
  /** Usable backends, in the order `selectBackend` prefers them (fastest first). */
  available: TBackendName[];
  missing: { backend: TBackendName; reason: string }[];
};

export type TAvailableBackendsOptions = {
  /** XNNPACK threads for the wasm backend if this call registers it. Default 2, as `selectBackend`. */
  threads?: number;
};

type TProbe = { ok: true } | { ok: false; reason: string };

/**
 * Finds out which backends can run here by loading and initialising each one — the native
 * binding (`tensorflow`, only when `@tensorflow/tfjs-node(-gpu)` is installed: `npm run
 * setup:native`), `wasm` with the composed training kernels, and the plain JavaScript `cpu` —
 * then switches back to the backend that was active before, so probing changes nothing else.
 * A backend counts as available only once it has initialised, not merely because it is installed.
 *
 * @example
 * const { available, missing } = await availableBackends();
 * // available: ['wasm', 'cpu'], missing: [{ backend: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed …' }]
 */
export async function availableBackends(options: TAvailableBackendsOptions = {}): Promise<TBackendAvailability> {
  const previous = activeBackendName();
  const probes: [TBackendName, () => Promise<TProbe>][] = [
    ['tensorflow', probeNative],
    ['wasm', () => probeWasm(options.threads ?? 2)],
    ['cpu', probeCpu],
  ];
  const result: TBackendAvailability = { available: [], missing: [] };
  try {
    for (const [backend, probe] of probes) {
      const outcome = await probe().catch((error: unknown): TProbe => ({ ok: false, reason: firstLine(error) }));
      if (outcome.ok) result.available.push(backend);
      else result.missing.push({ backend, reason: outcome.reason });
    }
  } finally {
    if (previous !== undefined && activeBackendName() !== previous) await tf.setBackend(previous);
  }
  return result;
}

/** The backend the engine runs on now, without making it pick one (which `tf.getBackend()` would). */
function activeBackendName(): string | undefined {
  return tf.engine().backendName ?? undefined;
}

/** Switches to `name` to prove that it initialises; tfjs-core only logs why an initialisation failed. */
async function initialises(name: string): Promise<TProbe> {
  return (await tf.setBackend(name)) ? { ok: true } : { ok: false, reason: `registered but failed to initialise (see the warning tfjs-core logged)` };
}

async function probeNative(): Promise<TProbe> {
  const load = await loadNativePackage();
  if (!load.ok) return { ok: false, reason: `${load.failures.map((f) => `${f.backend}: ${f.reason}`).join('; ')} (npm run setup:native builds it)` };
  return initialises('tensorflow');
}

async function probeWasm(threads: number): Promise<TProbe> {
  // Registering again would dispose a live wasm backend and every tensor on it.
  if (getWasmBackendInfo() === undefined) registerWasmBackend({ threads });
  registerUnsortedSegmentSum();
  return initialises('wasm');
}

async function probeCpu(): Promise<TProbe> {
  await import('@tensorflow/tfjs-backend-cpu');
  return initialises('cpu');
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
