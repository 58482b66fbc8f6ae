import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listRuns, openMetadataStore, type MetadataStore } from '@tsfx/metadata';
import {
  cancelRun,
  createBuiltinRegistry,
  createLocalArtifactStore,
  reapStaleRuns,
  startWorker,
  type PipelineRegistry,
  type PipelineRuntime,
  type Worker,
} from '@tsfx/pipeline';
import { PipelineError, toPipelineError, type TsfxConfig } from '@tsfx/shared';
import { listenOrExplain, startApiServer, type ApiServer } from './server';

/** `apps/dashboard`, found from this file so it works from any working directory. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../dashboard/', import.meta.url));

/** What the dashboard's production bundle is built from; a newer file here makes the build stale. */
const DASHBOARD_BUILD_INPUTS = [
  join(DASHBOARD_DIR, 'src'),
  join(DASHBOARD_DIR, 'public'),
  join(DASHBOARD_DIR, 'next.config.ts'),
  join(DASHBOARD_DIR, 'package.json'),
  join(DASHBOARD_DIR, 'tsconfig.json'),
  // Transpiled into the bundle (transpilePackages).
  fileURLToPath(new URL('../../../libs/shared/src/', import.meta.url)),
];

export type TsfxServicesOptions = {
  /** Validated configuration (`loadConfig(env, cwd)`): ports, host, database, artifact root, timings. */
  config: TsfxConfig;
  /**
   * The runtime to serve. Default: one opened from `config` (SQLite under TSFX_HOME by
   * default, the built-in pipeline registry), closed again by `stop()`.
   */
  runtime?: PipelineRuntime;
  /** Pipelines the runtime opened from `config` knows by name (default: the built-in registry). */
  registry?: PipelineRegistry;
  /** Working directory for relative pipeline file paths (default: `process.cwd()`). */
  cwd?: string;
  /** Run queued runs in this process (default true). */
  worker?: boolean;
  /** Start the dashboard with `next start` (default true). */
  dashboard?: boolean;
  /**
   * `auto` (default) runs `next build` first when there is no build or a source is newer than
   * it; `always` rebuilds; `never` fails when there is no build.
   */
  build?: 'auto' | 'always' | 'never';
  /** Environment of the dashboard process (default: `process.env`); TSFX_API_URL is set on top. */
  env?: Record<string, string | undefined>;
  /** Progress messages ("building the dashboard…", errors of the worker). Default: stderr. */
  log?: (message: string) => void;
};

export type TsfxServices = {
  runtime: PipelineRuntime;
  /** The API's base URL (tRPC under `${apiUrl}/trpc`). */
  apiUrl: string;
  /** The dashboard's URL, or null when it was not started. */
  dashboardUrl: string | null;
  /**
   * Stops everything: the dashboard, then the worker (its run in progress is asked to cancel
   * and ends CANCELED, resumable; after `graceMs` (default 10 000) the worker is left to the
   * stale-run reaper), the API, and the store when the services opened it. Safe to call twice.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
};

/**
 * Starts what `tsfx up` runs: the API server, an in-process worker and the dashboard
 * (`next start`, built first when needed), all on the configured ports.
 * @example
 * const services = await startTsfxServices({ config: loadConfig(process.env, process.cwd()) });
 * console.log(services.apiUrl, services.dashboardUrl);
 * process.once('SIGINT', () => void services.stop());
 */
export async function startTsfxServices(options: TsfxServicesOptions): Promise<TsfxServices> {
  const { config } = options;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const cleanups: (() => Promise<void>)[] = [];
  let stopGraceMs = 10_000;
  const runCleanups = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => log(`stop: ${toPipelineError(error).message}`));
  };

  try {
    let runtime = options.runtime;
    if (!runtime) {
      const store: MetadataStore = await openMetadataStore({ url: config.databaseUrl });
      cleanups.push(() => store.close());
      runtime = {
        store,
        artifacts: createLocalArtifactStore(config.artifactRoot),
        registry: options.registry ?? createBuiltinRegistry(),
        cwd: options.cwd ?? process.cwd(),
        heartbeatMs: config.heartbeatMs,
        staleAfterMs: config.staleAfterMs,
        settings: { modelBasePath: config.modelBasePath, ...(config.backend ? { backend: config.backend } : {}) },
      };
    }
    await reapStaleRuns(runtime);

    const api: ApiServer = await startApiServer({ runtime, host: config.apiHost, port: config.apiPort, logError: log });
    cleanups.push(() => api.close());

    if (options.worker ?? true) {
      const worker = startWorker(runtime, {
        pollMs: config.workerPollMs,
        onError: (error) => log(`worker: ${toPipelineError(error).message}`),
      });
      const workerRuntime = runtime;
      cleanups.push(() => stopWorker(workerRuntime, worker, stopGraceMs, log));
    }

    let dashboardUrl: string | null = null;
    if (options.dashboard ?? true) {
      await ensureDashboardBuild({ mode: options.build ?? 'auto', log });
      const dashboard = await startDashboard({
        host: config.apiHost,
        port: config.dashboardPort,
        apiUrl: api.url,
        env: options.env ?? process.env,
        log,
      });
      cleanups.push(() => dashboard.stop());
      dashboardUrl = dashboard.url;
    }

    let stopped: Promise<void> | undefined;
    return {
      runtime,
      apiUrl: api.url,
      dashboardUrl,
      stop(stopOptions = {}) {
        stopGraceMs = stopOptions.graceMs ?? stopGraceMs;
        stopped ??= runCleanups();
        return stopped;
      },
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

/** Asks the worker's run in progress to cancel, then waits for the worker up to `graceMs`. */
async function stopWorker(runtime: PipelineRuntime, worker: Worker, graceMs: number, log: (message: string) => void): Promise<void> {
  const held = (await listRuns(runtime.store.db, { state: 'RUNNING', limit: 500 })).filter((run) => run.workerId === worker.workerId);
  for (const run of held) {
    log(`stopping: cancelling run ${run.id} (resume it later with: tsfx resume ${run.id})`);
    await cancelRun(runtime, run.id).catch(() => undefined);
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([worker.stop().then(() => 'stopped' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') log(`stopping: the worker did not stop within ${graceMs} ms; its run will be marked FAILED (resumable)`);
}

/** The newest modification time under `paths` (files and folders, recursively; missing paths ignored). */
function newestMtime(paths: readonly string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    newest = Math.max(newest, stat.mtimeMs);
    if (!stat.isDirectory()) return;
    for (const entry of readdirSync(path)) {
      if (entry === 'node_modules' || entry === '.next') continue;
      visit(join(path, entry));
    }
  };
  for (const path of paths) visit(path);
  return newest;
}

/** Why the dashboard needs a build, or null when its build is current. */
export function dashboardBuildStaleReason(): string | null {
  const buildId = join(DASHBOARD_DIR, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return 'there is no build yet';
  if (newestMtime(DASHBOARD_BUILD_INPUTS) > statSync(buildId).mtimeMs) return 'its sources changed since the last build';
  return null;
}

function nextBin(): string {
  return createRequire(join(DASHBOARD_DIR, 'package.json')).resolve('next/dist/bin/next');
}

/**
 * Runs `next build` in apps/dashboard (a few minutes on a small machine).
 * @throws PipelineError INTERNAL with the build's last output lines when it fails
 */
export async function buildDashboard(options: { log?: (message: string) => void } = {}): Promise<void> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const child = spawn(process.execPath, [nextBin(), 'build'], {
    cwd: DASHBOARD_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = collectTail(child);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) {
    throw new PipelineError('INTERNAL', `next build of the dashboard failed (exit ${code ?? 'signal'}):\n${tail()}`);
  }
  log('dashboard built');
}

async function ensureDashboardBuild({ mode, log }: { mode: 'auto' | 'always' | 'never'; log: (message: string) => void }): Promise<void> {
  const reason = mode === 'always' ? 'a rebuild was asked for' : dashboardBuildStaleReason();
  if (reason === null) return;
  if (mode === 'never') {
    throw new PipelineError('CONFLICT', `the dashboard needs a build: ${reason}`, { expected: 'a current build in apps/dashboard/.next (run next build)' });
  }
  log(`building the dashboard (next build) because ${reason}; this takes a minute or two…`);
  await buildDashboard({ log });
}

/** Keeps the last lines a child printed, for error messages. */
function collectTail(child: ChildProcess, maxLines = 40): () => string {
  const lines: string[] = [];
  const onData = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    if (lines.length > maxLines) lines.splice(0, lines.length - maxLines);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return () => lines.join('\n');
}

/**
 * Starts `next start` for the built dashboard and waits until it answers HTTP.
 * @throws PipelineError INTERNAL with the process's output when it exits or does not answer in time
 */
async function startDashboard(options: {
  host: string;
  port: number;
  apiUrl: string;
  env: Record<string, string | undefined>;
  log: (message: string) => void;
}): Promise<{ url: string; stop(): Promise<void> }> {
  // Checked here because `next start` on a taken port only says so deep in its output.
  const probe = createServer();
  await listenOrExplain(probe, options.host, options.port, 'TSFX_DASHBOARD_PORT');
  await new Promise((resolve) => probe.close(resolve));
  const child = spawn(process.execPath, [nextBin(), 'start', '--port', String(options.port), '--hostname', options.host], {
    cwd: DASHBOARD_DIR,
    env: { ...options.env, TSFX_API_URL: options.apiUrl, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail = collectTail(child);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    });
  });
  const stop = async () => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };

  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${options.port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new PipelineError('INTERNAL', `the dashboard (next start on port ${options.port}) exited with code ${exitCode ?? 'signal'}:\n${tail()}`);
    }
    try {
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new PipelineError('INTERNAL', `the dashboard did not answer on ${url} within 60 s:\n${tail()}`);
}
