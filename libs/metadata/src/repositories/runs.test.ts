import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openMetadataStore, type MetadataStore } from '../store';
import { createTestStore, type TTestStore } from '../testing';
import { upsertPipeline } from './pipelines';
import { createExecution, listExecutions } from './executions';
import {
  claimNextQueuedRun,
  claimRun,
  createRun,
  failStaleRuns,
  findRun,
  getRun,
  heartbeatRun,
  listRuns,
  requestCancel,
  requeueRun,
  updateRun,
} from './runs';

describe.each(['sqlite', 'postgresql'] as const)('runs on %s', (kind) => {
  let test: TTestStore;
  let pipelineId: string;
  const db = () => test.store.db;
  const t0 = new Date('2026-01-01T00:00:00.000Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  beforeEach(async () => {
    test = await createTestStore(kind);
    pipelineId = (await upsertPipeline(db(), { name: 'penguin', source: 'registry:penguin' })).id;
  });
  afterEach(async () => test.cleanup());

  it('creates a QUEUED run and reads it back with its params and pipeline name', async () => {
    const run = await createRun(db(), { pipelineId, params: { epochs: 3, lr: 0.1, tags: ['a'] }, useCache: false });
    expect(run).toMatchObject({
      pipelineId,
      pipelineName: 'penguin',
      state: 'QUEUED',
      params: { epochs: 3, lr: 0.1, tags: ['a'] },
      useCache: false,
      attempt: 0,
      workerId: null,
      error: null,
      cancelRequested: false,
    });
    expect(run.id).toMatch(/^run_/);
    expect(await getRun(db(), run.id)).toEqual(run);
    expect(await findRun(db(), 'run_missing')).toBeNull();
  });

  it('getRun names the missing id; createRun names the missing pipeline', async () => {
    await expect(getRun(db(), 'run_nope')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('run_nope') });
    await expect(createRun(db(), { pipelineId: 'pl_nope', params: {}, useCache: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('pl_nope'),
    });
  });

  it('lists runs newest first, filtered by pipeline name and state, up to a limit', async () => {
    const other = await upsertPipeline(db(), { name: 'taxi', source: 'registry:taxi' });
    const a = await createRun(db(), { pipelineId, params: {}, useCache: true });
    const b = await createRun(db(), { pipelineId: other.id, params: {}, useCache: true });
    const c = await createRun(db(), { pipelineId, params: {}, useCache: true });
    await claimRun(db(), a.id, 'wk_1', t0);

    expect((await listRuns(db())).map((r) => r.id)).toEqual([c.id, b.id, a.id]);
    expect((await listRuns(db(), { limit: 2 })).map((r) => r.id)).toEqual([c.id, b.id]);
    const penguin = await listRuns(db(), { pipelineName: 'penguin' });
    expect(penguin.map((r) => [r.id, r.pipelineName])).toEqual([
      [c.id, 'penguin'],
      [a.id, 'penguin'],
    ]);
    expect((await listRuns(db(), { state: 'RUNNING' })).map((r) => r.id)).toEqual([a.id]);
    expect((await listRuns(db(), { pipelineName: 'taxi', state: 'QUEUED' })).map((r) => r.id)).toEqual([b.id]);
    await expect(listRuns(db(), { state: 'DONE' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('claimRun moves QUEUED to RUNNING once and resets the attempt fields', async () => {
    const run = await createRun(db(), { pipelineId, params: {}, useCache: true });
    expect(await claimRun(db(), run.id, 'wk_a', at(1))).toBe(true);
    expect(await claimRun(db(), run.id, 'wk_b', at(2))).toBe(false);
    expect(await getRun(db(), run.id)).toMatchObject({
      state: 'RUNNING',
      workerId: 'wk_a',
      startedAt: at(1),
      heartbeatAt: at(1),
      attempt: 1,
    });
    await expect(claimRun(db(), 'run_ghost', 'wk_a', at(1))).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // A resumed run: error and finishedAt from the failed attempt are cleared, attempt goes to 2.
    await updateRun(db(), run.id, { state: 'FAILED', error: 'boom', finishedAt: at(3) });
    await requeueRun(db(), run.id);
    expect(await claimRun(db(), run.id, 'wk_c', at(4))).toBe(true);
    expect(await getRun(db(), run.id)).toMatchObject({ state: 'RUNNING', workerId: 'wk_c', attempt: 2, error: null, finishedAt: null, startedAt: at(4) });
  });

  it('claimNextQueuedRun takes the oldest queued run, then null when none is left', async () => {
    const first = await createRun(db(), { pipelineId, params: {}, useCache: true });
    const second = await createRun(db(), { pipelineId, params: {}, useCache: true });
    const claimed = await claimNextQueuedRun(db(), 'wk_1', at(1));
    expect(claimed).toMatchObject({ id: first.id, state: 'RUNNING', workerId: 'wk_1', attempt: 1 });
    expect((await claimNextQueuedRun(db(), 'wk_1', at(2)))?.id).toBe(second.id);
    expect(await claimNextQueuedRun(db(), 'wk_1', at(3))).toBeNull();
  });

  it('two workers on separate connections claim distinct runs concurrently', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 8; i++) ids.add((await createRun(db(), { pipelineId, params: { i }, useCache: true })).id);
    const other: MetadataStore = await openMetadataStore({ url: test.store.url });
    try {
      const drain = async (store: MetadataStore, workerId: string) => {
        const mine: string[] = [];
        for (let run = await claimNextQueuedRun(store.db, workerId, t0); run; run = await claimNextQueuedRun(store.db, workerId, t0)) {
          expect(run.workerId).toBe(workerId);
          mine.push(run.id);
        }
        return mine;
      };
      const [a, b] = await Promise.all([drain(test.store, 'wk_a'), drain(other, 'wk_b')]);
      // Every run claimed exactly once, and the database agrees on who holds it.
      expect([...a, ...b].sort()).toEqual([...ids].sort());
      for (const id of a) expect((await getRun(db(), id)).workerId).toBe('wk_a');
      for (const id of b) expect((await getRun(db(), id)).workerId).toBe('wk_b');
      for (const id of ids) expect((await getRun(db(), id)).attempt).toBe(1);
    } finally {
      await other.close();
    }

    // The same race for one run: exactly one winner.
    const single = await createRun(db(), { pipelineId, params: {}, useCache: true });
    const third = await openMetadataStore({ url: test.store.url });
    try {
      const [x, y] = await Promise.all([claimRun(db(), single.id, 'wk_x', t0), claimRun(third.db, single.id, 'wk_y', t0)]);
      expect([x, y].filter(Boolean)).toHaveLength(1);
    } finally {
      await third.close();
    }
  });

  it('updateRun changes the given fields and names a missing id', async () => {
    const run = await createRun(db(), { pipelineId, params: {}, useCache: true });
    const updated = await updateRun(db(), run.id, { state: 'COMPLETE', finishedAt: at(9), error: null });
    expect(updated).toMatchObject({ id: run.id, state: 'COMPLETE', finishedAt: at(9) });
    await expect(updateRun(db(), 'run_gone', { state: 'FAILED' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('run_gone'),
    });
    await expect(updateRun(db(), run.id, { state: 'PAUSED' as never })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('heartbeatRun refreshes the heartbeat, reports a cancel request and rejects other workers', async () => {
    const run = await createRun(db(), { pipelineId, params: {}, useCache: true });
    await claimRun(db(), run.id, 'wk_a', at(0));
    expect(await heartbeatRun(db(), run.id, 'wk_a', at(5))).toEqual({ cancelRequested: false });
    expect((await getRun(db(), run.id)).heartbeatAt).toEqual(at(5));

    await requestCancel(db(), run.id);
    expect(await heartbeatRun(db(), run.id, 'wk_a', at(6))).toEqual({ cancelRequested: true });

    await expect(heartbeatRun(db(), run.id, 'wk_b', at(7))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('wk_a'),
    });
    expect((await getRun(db(), run.id)).heartbeatAt).toEqual(at(6));
    await updateRun(db(), run.id, { state: 'COMPLETE' });
    await expect(heartbeatRun(db(), run.id, 'wk_a', at(8))).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(heartbeatRun(db(), 'run_none', 'wk_a', at(8))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('requestCancel cancels a queued run at once, flags a running one and refuses a finished one', async () => {
    const queued = await createRun(db(), { pipelineId, params: {}, useCache: true });
    const canceled = await requestCancel(db(), queued.id);
    expect(canceled.state).toBe('CANCELED');
    expect(canceled.finishedAt).toBeInstanceOf(Date);

    const running = await createRun(db(), { pipelineId, params: {}, useCache: true });
    await claimRun(db(), running.id, 'wk_a', t0);
    expect(await requestCancel(db(), running.id)).toMatchObject({ state: 'RUNNING', cancelRequested: true });

    await expect(requestCancel(db(), queued.id)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('CANCELED'),
    });
    await expect(requestCancel(db(), 'run_x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('requeueRun puts FAILED and CANCELED runs back in the queue and refuses the rest', async () => {
    const run = await createRun(db(), { pipelineId, params: {}, useCache: true });
    await expect(requeueRun(db(), run.id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('QUEUED') });
    await claimRun(db(), run.id, 'wk_a', t0);
    await requestCancel(db(), run.id);
    await updateRun(db(), run.id, { state: 'FAILED', error: 'boom', finishedAt: at(1) });
    const requeued = await requeueRun(db(), run.id);
    expect(requeued).toMatchObject({ state: 'QUEUED', cancelRequested: false, error: null, workerId: null, finishedAt: null });

    const canceled = await createRun(db(), { pipelineId, params: {}, useCache: true });
    await requestCancel(db(), canceled.id);
    expect((await requeueRun(db(), canceled.id)).state).toBe('QUEUED');

    await claimRun(db(), canceled.id, 'wk_a', t0);
    await updateRun(db(), canceled.id, { state: 'COMPLETE' });
    await expect(requeueRun(db(), canceled.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(requeueRun(db(), 'run_x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('failStaleRuns fails runs whose heartbeat stopped, and their running executions', async () => {
    const stale = await createRun(db(), { pipelineId, params: {}, useCache: true });
    const fresh = await createRun(db(), { pipelineId, params: {}, useCache: true });
    const queued = await createRun(db(), { pipelineId, params: {}, useCache: true });
    await claimRun(db(), stale.id, 'wk_dead', at(0));
    await claimRun(db(), fresh.id, 'wk_alive', at(0));
    await heartbeatRun(db(), fresh.id, 'wk_alive', at(50));
    const running = await createExecution(db(), {
      runId: stale.id, stageId: 'train', stageType: 'train', executorVersion: '1', params: {}, state: 'RUNNING',
    });
    const done = await createExecution(db(), {
      runId: stale.id, stageId: 'ingest', stageType: 'ingest', executorVersion: '1', params: {}, state: 'COMPLETE',
    });

    const failed = await failStaleRuns(db(), { staleBefore: at(30), now: at(60) });
    expect(failed).toEqual([stale.id]);
    const run = await getRun(db(), stale.id);
    expect(run.state).toBe('FAILED');
    expect(run.finishedAt).toEqual(at(60));
    expect(run.error).toBe(
      `worker wk_dead stopped sending heartbeats at ${at(0).toISOString()}; resume with: tsfx resume ${stale.id}`,
    );
    const executions = Object.fromEntries((await listExecutions(db(), stale.id)).map((e) => [e.id, e]));
    expect(executions[running.id]).toMatchObject({ state: 'FAILED', finishedAt: at(60) });
    expect(executions[running.id]?.error).toContain('wk_dead');
    expect(executions[done.id]?.state).toBe('COMPLETE');
    expect((await getRun(db(), fresh.id)).state).toBe('RUNNING');
    expect((await getRun(db(), queued.id)).state).toBe('QUEUED');

    // Nothing left to fail; the failed run can be resumed.
    expect(await failStaleRuns(db(), { staleBefore: at(30), now: at(61) })).toEqual([]);
    expect((await requeueRun(db(), stale.id)).state).toBe('QUEUED');
  });

  it('failStaleRuns spares runs held by the excluded workers (the calling process\'s own)', async () => {
    const mine = await createRun(db(), { pipelineId, params: {}, useCache: true });
    const theirs = await createRun(db(), { pipelineId, params: {}, useCache: true });
    await claimRun(db(), mine.id, 'wk_here', at(0));
    await claimRun(db(), theirs.id, 'wk_gone', at(0));
    expect(await failStaleRuns(db(), { staleBefore: at(30), now: at(60), excludeWorkerIds: ['wk_here'] })).toEqual([theirs.id]);
    expect((await getRun(db(), mine.id)).state).toBe('RUNNING');
    expect(await failStaleRuns(db(), { staleBefore: at(30), now: at(61) })).toEqual([mine.id]);
  });
});
