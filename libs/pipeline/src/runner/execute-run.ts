import {
  appendLogLines,
  createArtifact,
  createExecution,
  findPreviousStageOutputs,
  findReusableExecution,
  getRun,
  heartbeatRun,
  listExecutionArtifacts,
  listExecutions,
  recordEvent,
  updateExecution,
  updateRun,
  type MetadataStore,
  type TArtifactRecord,
  type TExecution,
} from '@tsfx/metadata';
import { PipelineError, describeZodError, toPipelineError } from '@tsfx/shared';
import { ARTIFACT_PROPERTIES, type ArtifactTypeName } from '../artifacts';
import type { ArtifactStore } from '../core/artifact-store';
import { computeCacheKey } from '../core/cache-key';
import type { CompiledNode, CompiledPipeline } from '../core/pipeline';
import { channelType, isOptionalChannel, type ChannelSpec, type ChannelSpecs, type ResolvedArtifact, type StageSettings } from '../core/stage';
import type { RunObserver } from './observer';
import { createTelemetry } from './telemetry';

export type ExecuteRunOptions = {
  store: MetadataStore;
  artifacts: ArtifactStore;
  pipeline: CompiledPipeline;
  runId: string;
  workerId: string;
  heartbeatMs: number;
  settings: StageSettings;
  observer?: RunObserver;
  now?: () => Date;
};

export type RunOutcome = { runId: string; state: 'COMPLETE' | 'FAILED' | 'CANCELED'; error?: string };

/** Outputs of a finished node: channel → artifact, or null for an absent optional output. */
type NodeOutputs = Record<string, TArtifactRecord | null>;

/**
 * Runs a claimed (RUNNING) run to the end. Stages run in topological order. On a resumed
 * run, stages that already COMPLETEd or were CACHED in an earlier attempt are reused as they
 * are; the failed stage and everything after it run again. A heartbeat proves the worker is
 * alive and picks up cancel requests.
 */
export async function executeRun(options: ExecuteRunOptions): Promise<RunOutcome> {
  const { store, pipeline, runId, workerId, observer } = options;
  const now = options.now ?? (() => new Date());
  const db = store.db;
  const run = await getRun(db, runId);
  const abort = new AbortController();

  const heartbeat = setInterval(() => {
    heartbeatRun(db, runId, workerId, now())
      .then(({ cancelRequested }) => {
        if (cancelRequested && !abort.signal.aborted) abort.abort(new PipelineError('CANCELED', `run ${runId} was cancelled`));
      })
      .catch(() => {
        // Missing one beat is harmless; the stale threshold spans several beats.
      });
  }, options.heartbeatMs);
  heartbeat.unref();

  const reusable = latestFinishedByStage(await listExecutions(db, runId));
  const outputsByNode = new Map<string, NodeOutputs>();
  try {
    for (const node of pipeline.nodes) {
      if (abort.signal.aborted) throw abort.signal.reason;
      const earlier = reusable.get(node.id);
      const earlierOutputs = earlier ? await reuseEarlierOutputs(options, earlier) : null;
      if (earlierOutputs) {
        outputsByNode.set(node.id, earlierOutputs);
        observer?.onStageEnd?.(node.id, 'REUSED', `from attempt ${earlier?.attempt ?? 1}`);
        continue;
      }
      outputsByNode.set(node.id, await runNode(options, node, outputsByNode, run, abort.signal, now));
    }
    await updateRun(db, runId, { state: 'COMPLETE', finishedAt: now(), error: null, workerId: null });
    return { runId, state: 'COMPLETE' };
  } catch (thrown) {
    const error = toPipelineError(thrown);
    const state = error.code === 'CANCELED' || abort.signal.aborted ? 'CANCELED' : 'FAILED';
    const message = state === 'CANCELED' ? `cancelled by request` : error.message;
    await updateRun(db, runId, { state, finishedAt: now(), error: message, workerId: null, cancelRequested: false });
    return { runId, state, error: message };
  } finally {
    clearInterval(heartbeat);
  }
}

function latestFinishedByStage(executions: TExecution[]): Map<string, TExecution> {
  const finished = new Map<string, TExecution>();
  for (const execution of executions) {
    if (execution.state === 'COMPLETE' || execution.state === 'CACHED') finished.set(execution.stageId, execution);
  }
  return finished;
}

/** Outputs of an earlier attempt's execution, if every one of them is still on disk. */
async function reuseEarlierOutputs(options: ExecuteRunOptions, execution: TExecution): Promise<NodeOutputs | null> {
  const { outputs } = await listExecutionArtifacts(options.store.db, execution.id);
  for (const artifact of Object.values(outputs)) {
    if (!(await options.artifacts.exists(artifact.uri))) return null;
  }
  return outputs;
}

async function runNode(
  options: ExecuteRunOptions,
  node: CompiledNode,
  outputsByNode: Map<string, NodeOutputs>,
  run: { pipelineId: string; useCache: boolean; attempt: number },
  signal: AbortSignal,
  now: () => Date,
): Promise<NodeOutputs> {
  const { store, artifacts, runId, observer } = options;
  const db = store.db;
  const stage = node.stage;
  const outputSpecs = stage.outputs as ChannelSpecs;
  const inputRecords = await resolveInputs(options, node, outputsByNode);

  const inputFingerprints = Object.fromEntries(
    Object.entries(inputRecords).map(([channel, record]) => [channel, record.fingerprint]),
  );
  const externalFingerprint = stage.fingerprintExternal ? await stage.fingerprintExternal(node.params, options.settings) : undefined;
  const cacheKey = computeCacheKey({
    stageType: stage.type,
    executorVersion: stage.version,
    params: node.params as Record<string, unknown>,
    inputFingerprints,
    ...(externalFingerprint === undefined ? {} : { externalFingerprint }),
  });
  observer?.onStageStart?.(node.id, stage.type);

  const { useCache, attempt } = run;
  if (useCache) {
    const cached = await findCachedOutputs(options, cacheKey);
    if (cached) {
      const execution = await createExecution(db, {
        runId,
        stageId: node.id,
        stageType: stage.type,
        executorVersion: stage.version,
        params: node.params as Record<string, unknown>,
        state: 'CACHED',
        cacheKey,
        attempt,
      });
      await updateExecution(db, execution.id, { cachedFromId: cached.executionId, startedAt: now(), finishedAt: now() });
      await recordLineage(db, execution.id, inputRecords, cached.outputs);
      await appendLogLines(db, [
        { runId, executionId: execution.id, level: 'info', message: `cached: reused the outputs of ${cached.executionId}` },
      ]);
      observer?.onStageEnd?.(node.id, 'CACHED', `reused ${cached.executionId}`);
      return cached.outputs;
    }
  }

  const execution = await createExecution(db, {
    runId,
    stageId: node.id,
    stageType: stage.type,
    executorVersion: stage.version,
    params: node.params as Record<string, unknown>,
    state: 'RUNNING',
    cacheKey,
    attempt,
  });
  await updateExecution(db, execution.id, { startedAt: now() });
  await recordLineage(db, execution.id, inputRecords, {});

  const staging: Record<string, string> = {};
  for (const channel of Object.keys(outputSpecs)) staging[channel] = await artifacts.stage(runId, node.id, channel);
  const telemetry = createTelemetry({ db, runId, executionId: execution.id, stageId: node.id, now, ...(observer ? { observer } : {}) });
  const resolvedInputs = Object.fromEntries(
    Object.entries(inputRecords).map(([channel, record]) => [channel, toResolved(record)]),
  );
  const previousRecords = await findPreviousStageOutputs(db, { pipelineId: run.pipelineId, stageId: node.id, excludeRunId: runId });
  const previous = Object.fromEntries(
    Object.entries(previousRecords?.outputs ?? {})
      .filter(([channel, record]) => channel in outputSpecs && record.type === channelType(outputSpecs[channel] as ChannelSpec))
      .map(([channel, record]) => [channel, toResolved(record)]),
  );

  try {
    const result = (await stage.execute(
      {
        runId,
        pipelineName: options.pipeline.name,
        stageId: node.id,
        outputs: Object.fromEntries(Object.entries(staging).map(([channel, uri]) => [channel, { uri }])),
        logger: telemetry.logger,
        progress: telemetry.progress,
        metrics: telemetry.metrics,
        previous,
        workDir: await artifacts.workDir(runId, node.id),
        settings: options.settings,
        signal,
        now,
      },
      resolvedInputs,
      node.params,
    )) as Record<string, unknown>;
    if (signal.aborted) throw signal.reason;

    const outputs: NodeOutputs = {};
    for (const [channel, spec] of Object.entries(outputSpecs)) {
      const stagingUri = staging[channel] as string;
      const properties = result[channel];
      if (properties === null || properties === undefined) {
        if (!isOptionalChannel(spec)) {
          throw new PipelineError('STAGE_FAILED', `stage '${node.id}' returned no '${channel}' output`, {
            expected: `${channelType(spec)} properties`,
            received: String(properties),
          });
        }
        await artifacts.discard(stagingUri);
        outputs[channel] = null;
        continue;
      }
      const type = channelType(spec);
      const parsed = ARTIFACT_PROPERTIES[type].safeParse(properties);
      if (!parsed.success) {
        throw new PipelineError(
          'STAGE_FAILED',
          `stage '${node.id}' output '${channel}' has invalid ${type} properties: ${describeZodError(parsed.error)}`,
        );
      }
      const finalUri = artifacts.uriFor(runId, node.id, channel);
      await artifacts.commit(stagingUri, finalUri);
      outputs[channel] = await createArtifact(db, {
        type,
        uri: finalUri,
        properties: parsed.data,
        fingerprint: await artifacts.fingerprint(finalUri),
        runId,
      });
    }
    await recordLineage(db, execution.id, {}, outputs);
    await artifacts.dropWorkDir(runId, node.id);
    await telemetry.close();
    await updateExecution(db, execution.id, { state: 'COMPLETE', finishedAt: now(), progress: 1 });
    observer?.onStageEnd?.(node.id, 'COMPLETE');
    return outputs;
  } catch (thrown) {
    const error = toPipelineError(signal.aborted ? signal.reason : thrown);
    const cancelled = error.code === 'CANCELED';
    telemetry.logger.error(cancelled ? 'cancelled' : error.message);
    if (!cancelled && thrown instanceof Error && thrown.stack) telemetry.logger.debug(thrown.stack);
    await telemetry.close().catch(() => undefined);
    for (const uri of Object.values(staging)) await artifacts.discard(uri);
    await updateExecution(db, execution.id, {
      state: cancelled ? 'CANCELED' : 'FAILED',
      finishedAt: now(),
      error: error.message,
    });
    observer?.onStageEnd?.(node.id, cancelled ? 'CANCELED' : 'FAILED', error.message);
    if (cancelled) throw error;
    throw new PipelineError('STAGE_FAILED', `stage '${node.id}' (${stage.type}) failed: ${error.message}`, { cause: error });
  }
}

async function resolveInputs(
  options: ExecuteRunOptions,
  node: CompiledNode,
  outputsByNode: Map<string, NodeOutputs>,
): Promise<Record<string, TArtifactRecord>> {
  const inputs: Record<string, TArtifactRecord> = {};
  const inputSpecs = node.stage.inputs as ChannelSpecs;
  for (const [channel, ref] of Object.entries(node.inputs)) {
    const record = outputsByNode.get(ref.nodeId)?.[ref.channel];
    const spec = inputSpecs[channel];
    if (!record) {
      if (spec && isOptionalChannel(spec)) continue;
      throw new PipelineError('ARTIFACT_CORRUPT', `stage '${node.id}' input '${channel}' has no artifact`, {
        expected: `an artifact from '${ref.nodeId}.${ref.channel}'`,
        received: 'none',
      });
    }
    if (!(await options.artifacts.exists(record.uri))) {
      throw new PipelineError('ARTIFACT_CORRUPT', `input '${channel}' of stage '${node.id}' is missing on disk`, {
        expected: `artifact ${record.id} (${record.type}) at ${record.uri}`,
        received: 'no such directory',
      });
    }
    inputs[channel] = record;
  }
  return inputs;
}

async function findCachedOutputs(
  options: ExecuteRunOptions,
  cacheKey: string,
): Promise<{ executionId: string; outputs: NodeOutputs } | null> {
  const hit = await findReusableExecution(options.store.db, cacheKey);
  if (!hit) return null;
  for (const artifact of Object.values(hit.outputs)) {
    if (!(await options.artifacts.exists(artifact.uri))) return null;
  }
  return { executionId: hit.execution.id, outputs: hit.outputs };
}

async function recordLineage(
  db: MetadataStore['db'],
  executionId: string,
  inputs: Record<string, TArtifactRecord>,
  outputs: NodeOutputs,
): Promise<void> {
  for (const [path, artifact] of Object.entries(inputs)) {
    await recordEvent(db, { executionId, artifactId: artifact.id, type: 'INPUT', path });
  }
  for (const [path, artifact] of Object.entries(outputs)) {
    if (artifact) await recordEvent(db, { executionId, artifactId: artifact.id, type: 'OUTPUT', path });
  }
}

function toResolved(record: TArtifactRecord): ResolvedArtifact {
  const type = record.type as ArtifactTypeName;
  const schema = ARTIFACT_PROPERTIES[type] as (typeof ARTIFACT_PROPERTIES)[ArtifactTypeName] | undefined;
  if (!schema) {
    throw new PipelineError('ARTIFACT_CORRUPT', `artifact ${record.id} has an unknown type`, {
      expected: Object.keys(ARTIFACT_PROPERTIES).join(' | '),
      received: record.type,
    });
  }
  const parsed = schema.safeParse(record.properties);
  if (!parsed.success) {
    throw new PipelineError('ARTIFACT_CORRUPT', `artifact ${record.id} (${type}) has invalid properties: ${describeZodError(parsed.error)}`);
  }
  return { id: record.id, type, uri: record.uri, properties: parsed.data } as ResolvedArtifact;
}
