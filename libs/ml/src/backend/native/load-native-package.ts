import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

/** The optional native bindings, fastest first; neither installs without libtensorflow (see `npm run setup:native`). */
export const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

export type TNativeLoad = { ok: true; package: string } | { ok: false; failures: { backend: string; reason: string }[] };

const require = createRequire(import.meta.url);

/**
 * Imports the first native binding that is installed, loads, and registers a `tensorflow`
 * backend with this @tensorflow/tfjs-core; says for each package why it did not. Switching to the
 * backend is left to the caller (selectBackend uses it, availableBackends only proves it starts).
 */
export async function loadNativePackage(): Promise<TNativeLoad> {
  const failures: { backend: string; reason: string }[] = [];
  for (const name of NATIVE_PACKAGES) {
    try {
      require.resolve(name);
    } catch {
      failures.push({ backend: name, reason: 'not installed' });
      continue;
    }
    try {
      await import(name);
    } catch (error) {
      failures.push({ backend: name, reason: `installed but does not load: ${(error as Error).message.split('\n')[0]}` });
      continue;
    }
    // A binding built against another @tensorflow/tfjs-core registers into that copy's engine.
    if (tf.findBackendFactory('tensorflow') == null) {
      failures.push({ backend: name, reason: `loaded but registered no 'tensorflow' backend with @tensorflow/tfjs-core ${tf.version_core}` });
      continue;
    }
    return { ok: true, package: name };
  }
  return { ok: false, failures };
}
