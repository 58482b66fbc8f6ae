import { z } from 'zod';
import { PipelineError, describeZodError } from './errors';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const millis = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every environment variable tsfx reads, with its default: the embedded defaults are SQLite,
 * an in-process queue and a local artifact folder, all under `TSFX_HOME`. Apps validate the
 * environment once through `loadConfig`; nothing else reads `process.env`.
 */
export const ZTsfxEnv = z.object({
  /** Folder of the embedded defaults (database, artifacts, exported models). */
  TSFX_HOME: z.string().min(1).default('.tsfx'),
  /** `file:<path>` (SQLite, default `file:<TSFX_HOME>/tsfx.db`) or `postgresql://…` (multi-worker). */
  DATABASE_URL: z.string().min(1).optional(),
  /** Root of the local artifact store (default `<TSFX_HOME>/artifacts`). */
  TSFX_ARTIFACT_ROOT: z.string().min(1).optional(),
  /** Where exported models go, in TF Serving's `<base>/<name>/<version>/` layout (default `<TSFX_HOME>/models`). */
  TSFX_MODEL_BASE_PATH: z.string().min(1).optional(),
  TSFX_API_HOST: z.string().min(1).default('127.0.0.1'),
  TSFX_API_PORT: port(4000),
  TSFX_DASHBOARD_PORT: port(3000),
  /** URL the dashboard uses to reach the API (default `http://<TSFX_API_HOST>:<TSFX_API_PORT>`). */
  TSFX_API_URL: z.url().optional(),
  /** How often a running run proves its worker is alive. */
  TSFX_HEARTBEAT_MS: millis(2000),
  /** A RUNNING run without a heartbeat for this long is marked FAILED (resumable). */
  TSFX_STALE_AFTER_MS: millis(15000),
  /** How often a worker looks for queued runs. */
  TSFX_WORKER_POLL_MS: millis(1000),
  /** Force a TF.js backend; unset picks the fastest installed (tensorflow, then wasm, then cpu). */
  TSFX_BACKEND: z.enum(['tensorflow', 'wasm', 'cpu']).optional(),
});
export type TTsfxEnv = z.infer<typeof ZTsfxEnv>;

export type TsfxConfig = {
  home: string;
  databaseUrl: string;
  artifactRoot: string;
  modelBasePath: string;
  apiHost: string;
  apiPort: number;
  dashboardPort: number;
  apiUrl: string;
  heartbeatMs: number;
  staleAfterMs: number;
  workerPollMs: number;
  backend: 'tensorflow' | 'wasm' | 'cpu' | undefined;
};

/** Validates the environment and resolves relative paths against `cwd`. */
export function loadConfig(env: Record<string, string | undefined>, cwd: string): TsfxConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = ZTsfxEnv.safeParse(defined);
  if (!parsed.success) {
    throw new PipelineError('INVALID_INPUT', `invalid environment: ${describeZodError(parsed.error)}`);
  }
  const e = parsed.data;
  const absolute = (path: string) => (path.startsWith('/') ? path : `${cwd.replace(/\/$/, '')}/${path}`);
  const home = absolute(e.TSFX_HOME);
  return {
    home,
    databaseUrl: e.DATABASE_URL ?? `file:${home}/tsfx.db`,
    artifactRoot: absolute(e.TSFX_ARTIFACT_ROOT ?? `${home}/artifacts`),
    modelBasePath: absolute(e.TSFX_MODEL_BASE_PATH ?? `${home}/models`),
    apiHost: e.TSFX_API_HOST,
    apiPort: e.TSFX_API_PORT,
    dashboardPort: e.TSFX_DASHBOARD_PORT,
    apiUrl: e.TSFX_API_URL ?? `http://${e.TSFX_API_HOST}:${e.TSFX_API_PORT}`,
    heartbeatMs: e.TSFX_HEARTBEAT_MS,
    staleAfterMs: e.TSFX_STALE_AFTER_MS,
    workerPollMs: e.TSFX_WORKER_POLL_MS,
    backend: e.TSFX_BACKEND,
  };
}
