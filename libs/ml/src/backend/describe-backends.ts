import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { availableBackends, type TBackendAvailability } from './available-backends';
import { selectBackend, type TBackendName, type TBackendSelection } from './select-backend';

/** How the installed native binding was obtained (written by `npm run setup:native` when it builds one). */
export type TNativeBuild = { builtFrom: string; tensorflowVersion: string; builtAt: string };

/** What `tsfx doctor` prints: every backend with why it can or cannot run, and which one runs. */
export type TBackendReport = TBackendAvailability & {
  /** What training would use now (honouring a forced backend), or why the forced one fails. */
  selected: TBackendSelection | { error: string };
  forced?: TBackendName;
  nativeBuild?: TNativeBuild;
};

const require = createRequire(import.meta.url);

/**
 * Probes every backend, then selects the one training would use, so the report is the same
 * decision a run makes (forced by `TSFX_BACKEND` or the fastest available).
 */
export async function describeBackends(options: { forced?: TBackendName; threads?: number } = {}): Promise<TBackendReport> {
  const availability = await availableBackends(options.threads === undefined ? {} : { threads: options.threads });
  const selected = await selectBackend(options).catch((error: unknown) => ({ error: (error as Error).message }));
  const nativeBuild = readNativeBuild();
  return {
    ...availability,
    selected,
    ...(options.forced ? { forced: options.forced } : {}),
    ...(nativeBuild ? { nativeBuild } : {}),
  };
}

function readNativeBuild(): TNativeBuild | undefined {
  try {
    const addon = dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
    return JSON.parse(readFileSync(join(addon, 'deps', 'tsfx-native.json'), 'utf8')) as TNativeBuild;
  } catch {
    return undefined;
  }
}
