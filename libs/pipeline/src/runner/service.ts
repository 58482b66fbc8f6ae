import {
  claimNextQueuedRun,
  claimRun,
  createRun,
  failStaleRuns,
  getPipelineById,
  getRun,
  requestCancel,
  requeueRun,
  updateRun,
  upsertPipeline,
  type MetadataStore,
  type TRun,
} from '@tsfx/metadata';
import { PipelineError, createId, toPipelineError } from '@tsfx/shared';
import type { ArtifactStore } from '../core/artifact-store';
import { compilePipeline, type CompiledPipeline } from '../core/pipeline';
import type { StageSettings } from '../core/stage';
import { executeRun, type RunOutcome } from './execute-run';
import type { RunObserver } from './observer';
import {
  formatPipelineSource,
  loadPipeline,
  parsePipelineSource,
  resolvePipelineArgument,
  type PipelineRegistry,
} from './registry';

/** What running pipelines needs; apps build it once from their validated config. */
export type PipelineRuntime = {
  store: MetadataStore;
  artifacts: ArtifactStore;
  registry: PipelineRegistry;
  /** Resolves relative pipeline file paths. */
  cwd: string;
  heartbeatMs: number;
  staleAfterMs: number;
  /** Deployment settings handed to every executor. */
  settings: StageSettings;
  now?: () => Date;
};

export type SubmitRunRequest = {
  /** A registry name or a path to a `.ts` pipeline file. */
  pipeline: string;
  /** Pipeline params; strings are typed by the pipeline's schema (`--param epochs=3`). */
  params?: Record<string, unknown>;
  useCache?: boolean;
};

const nowOf = (runtime: PipelineRuntime) => (runtime.now ?? (() => new Date()))();

/**
 * Workers executing a run in this process. Their runs are alive whatever their last
 * heartbeat says (a stage may block the event loop past the stale threshold), so this
 * process's stale-run check never fails them.
 */
const workersInThisProcess = new Set<string>();

/**
 * Validates a run request completely (pipeline exists, params typed, DAG well formed) and
 * queues it. Nothing is recorded for a request that would fail before its first stage.
 */
export async function submitRun(runtime: PipelineRuntime, request: SubmitRunRequest): Promise<TRun> {
  const source = resolvePipelineArgument(request.pipeline, runtime.registry, runtime.cwd);
  const definition = await loadPipeline(source, runtime.registry);
  const compiled = compilePipeline(definition, request.params ?? {});
  const pipeline = await upsertPipeline(runtime.store.db, { name: definition.name, source: formatPipelineSource(source) });
  return createRun(runtime.store.db, { pipelineId: pipeline.id, params: compiled.params, useCache: request.useCache ?? true });
}

/** Claims a specific queued run for this process and runs it to the end. */
export async function runQueuedRun(
  runtime: PipelineRuntime,
  runId: string,
  options: { workerId?: string; observer?: RunObserver } = {},
): Promise<RunOutcome> {
  const workerId = options.workerId ?? createId('wk');
  const claimed = await claimRun(runtime.store.db, runId, workerId, nowOf(runtime));
  if (!claimed) {
    const run = await getRun(runtime.store.db, runId);
    throw new PipelineError('CONFLICT', `run ${runId} cannot start`, { expected: 'a QUEUED run', received: run.state });
  }
  return executeClaimedRun(runtime, runId, workerId, options.observer);
}

async function executeClaimedRun(
  runtime: PipelineRuntime,
  runId: string,
  workerId: string,
  observer: RunObserver | undefined,
): Promise<RunOutcome> {
  let compiled: CompiledPipeline;
  try {
    compiled = await compileRun(runtime, runId);
  } catch (thrown) {
    // The pipeline file changed or vanished since the run was queued: the run fails with the
    // reason, rather than staying RUNNING.
    const error = toPipelineError(thrown);
    await updateRun(runtime.store.db, runId, { state: 'FAILED', error: error.message, finishedAt: nowOf(runtime), workerId: null });
    return { runId, state: 'FAILED', error: error.message };
  }
  workersInThisProcess.add(workerId);
  try {
    return await executeRun({
      store: runtime.store,
      artifacts: runtime.artifacts,
      pipeline: compiled,
      runId,
      workerId,
      heartbeatMs: runtime.heartbeatMs,
      settings: runtime.settings,
      ...(observer ? { observer } : {}),
      ...(runtime.now ? { now: runtime.now } : {}),
    });
  } finally {
    workersInThisProcess.delete(workerId);
  }
}

/** Rebuilds a run's DAG from its stored pipeline source and params. */
export async function compileRun(runtime: PipelineRuntime, runId: string): Promise<CompiledPipeline> {
  const run = await getRun(runtime.store.db, runId);
  const pipeline = await getPipelineById(runtime.store.db, run.pipelineId);
  const definition = await loadPipeline(parsePipelineSource(pipeline.source), runtime.registry);
  return compilePipeline(definition, run.params as Record<string, unknown>);
}

/**
 * Resumes a FAILED or CANCELED run: stages that completed are reused, the failed stage and
 * those after it run again, in the same run.
 */
export async function resumeRun(
  runtime: PipelineRuntime,
  runId: string,
  options: { workerId?: string; observer?: RunObserver } = {},
): Promise<RunOutcome> {
  await reapStaleRuns(runtime);
  await requeueRun(runtime.store.db, runId);
  return runQueuedRun(runtime, runId, options);
}

export async function cancelRun(runtime: PipelineRuntime, runId: string): Promise<TRun> {
  await requestCancel(runtime.store.db, runId);
  return getRun(runtime.store.db, runId);
}

/** Marks RUNNING runs whose worker stopped sending heartbeats as FAILED (resumable). */
export async function reapStaleRuns(runtime: PipelineRuntime): Promise<string[]> {
  const now = nowOf(runtime);
  return failStaleRuns(runtime.store.db, {
    staleBefore: new Date(now.getTime() - runtime.staleAfterMs),
    now,
    excludeWorkerIds: [...workersInThisProcess],
  });
}

export type Worker = {
  readonly workerId: string;
  /** Stops polling; resolves when the run in progress (if any) has finished. */
  stop(): Promise<void>;
};

/**
 * The in-process queue's consumer: polls the database for QUEUED runs and runs them one at a
 * time. Several workers (processes) may share one PostgreSQL database: claims are atomic.
 */
export function startWorker(
  runtime: PipelineRuntime,
  options: { pollMs: number; workerId?: string; observer?: RunObserver; onError?: (error: unknown) => void },
): Worker {
  const workerId = options.workerId ?? createId('wk');
  let stopping = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      wake = () => {
        clearTimeout(timer);
        done();
      };
    });

  const loop = (async () => {
    while (!stopping) {
      try {
        await reapStaleRuns(runtime);
        const run = await claimNextQueuedRun(runtime.store.db, workerId, nowOf(runtime));
        if (run) {
          await executeClaimedRun(runtime, run.id, workerId, options.observer);
          continue;
        }
      } catch (error) {
        options.onError?.(error);
      }
      if (!stopping) await sleep(options.pollMs);
    }
  })();

  return {
    workerId,
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
