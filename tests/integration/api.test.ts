import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { startApiServer, type ApiServer, type AppRouter } from '@tsfx/api';
import { definePipeline, defineStage, startWorker, type PipelineRuntime, type Worker } from '@tsfx/pipeline';
import { createTestRuntime } from '@tsfx/pipeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

// ─── A small real pipeline: generate noisy points of y = 3x + 1, fit a line by gradient descent ───

const generateStage = defineStage({
  type: 'generate',
  version: '1',
  description: 'writes noisy points of y = 3x + 1',
  params: z.object({ rows: z.number().int().min(2) }),
  inputs: {},
  outputs: { examples: 'Examples' },
  async execute(ctx, _inputs, params) {
    const rows: { x: number; y: number }[] = [];
    for (let i = 0; i < params.rows; i++) {
      const x = i / params.rows;
      // Deterministic "noise" so the cache key and the fit are reproducible.
      rows.push({ x, y: 3 * x + 1 + 0.01 * Math.sin(i * 12.9898) });
      if (i % 50 === 0) ctx.progress.update({ done: i, total: params.rows, unit: 'rows' });
    }
    await writeFile(join(ctx.outputs.examples.uri, 'data.json'), JSON.stringify(rows));
    ctx.logger.info(`wrote ${rows.length} rows`);
    return {
      examples: {
        span: 0,
        splitNames: ['train'],
        rowCounts: { train: rows.length },
        sourceFingerprint: `generated-${rows.length}`,
        columns: [
          { name: 'x', type: 'float' },
          { name: 'y', type: 'float' },
        ],
      },
    };
  },
});

const fitStage = defineStage({
  type: 'fit',
  version: '1',
  description: 'fits y = a·x + b by gradient descent and logs the loss curve',
  params: z.object({
    epochs: z.number().int().min(1),
    learningRate: z.number().positive(),
    /** Test hook: the stage waits (checking for cancellation) while this file exists. */
    blockWhileExists: z.string().optional(),
    /** Test hook: the stage fails while this file exists. */
    failIfExists: z.string().optional(),
  }),
  inputs: { examples: 'Examples' },
  outputs: { modelRun: 'ModelRun' },
  async execute(ctx, inputs, params) {
    if (params.failIfExists && existsSync(params.failIfExists)) throw new Error(`flag file ${params.failIfExists} exists`);
    while (params.blockWhileExists && existsSync(params.blockWhileExists)) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const rows = JSON.parse(await readFile(join(inputs.examples.uri, 'data.json'), 'utf8')) as { x: number; y: number }[];
    let a = 0;
    let b = 0;
    const history: number[] = [];
    for (let epoch = 1; epoch <= params.epochs; epoch++) {
      let gradA = 0;
      let gradB = 0;
      let loss = 0;
      for (const { x, y } of rows) {
        const error = a * x + b - y;
        loss += error * error;
        gradA += 2 * error * x;
        gradB += 2 * error;
      }
      a -= (params.learningRate * gradA) / rows.length;
      b -= (params.learningRate * gradB) / rows.length;
      history.push(loss / rows.length);
      ctx.metrics.write([{ tag: 'loss', step: epoch, value: loss / rows.length }]);
      ctx.progress.update({ done: epoch, total: params.epochs, unit: 'epochs' });
    }
    await writeFile(join(ctx.outputs.modelRun.uri, 'fit.json'), JSON.stringify({ a, b, history }));
    ctx.logger.info(`fitted a=${a.toFixed(3)} b=${b.toFixed(3)}`);
    return { modelRun: { epochs: params.epochs, stoppedEarly: false, resumedFromEpoch: 0, final: { loss: history.at(-1) ?? 0 } } };
  },
});

const linearPipeline = definePipeline({
  name: 'linear',
  description: 'generate points, fit a line',
  params: z.object({
    rows: z.number().int().min(2).default(200).describe('how many points to generate'),
    epochs: z.number().int().min(1).default(40),
    blockWhileExists: z.string().optional(),
    failIfExists: z.string().optional(),
  }),
  build(p, params) {
    const generate = p.stage(generateStage, { params: { rows: params.rows } });
    p.stage(fitStage, {
      inputs: { examples: generate.outputs.examples },
      params: {
        epochs: params.epochs,
        learningRate: 0.5,
        ...(params.blockWhileExists ? { blockWhileExists: params.blockWhileExists } : {}),
        ...(params.failIfExists ? { failIfExists: params.failIfExists } : {}),
      },
    });
  },
});

// ─── Helpers ───────────────────────────────────────────────────────────────────────────────

async function waitFor<T>(read: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const JSON_HEADERS = { 'content-type': 'application/json' };

type ErrorBody = {
  error: {
    message: string;
    code: number;
    data: {
      code: string;
      httpStatus: number;
      stack?: string;
      zodError: { formErrors: string[]; fieldErrors: Record<string, string[]> } | null;
      pipelineError: { code: string; message: string } | null;
    };
  };
};

describe('API over HTTP', () => {
  let runtime: PipelineRuntime;
  let cleanup: () => Promise<void>;
  let api: ApiServer;
  let worker: Worker;
  const loggedErrors: string[] = [];
  let client: ReturnType<typeof createTRPCClient<AppRouter>>;

  beforeAll(async () => {
    ({ runtime, cleanup } = await createTestRuntime({ kind: 'sqlite', pipelines: [linearPipeline] }));
    api = await startApiServer({ runtime, host: '127.0.0.1', port: 0, logError: (message) => loggedErrors.push(message) });
    worker = startWorker(runtime, { pollMs: 50 });
    client = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${api.url}/trpc` })] });
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await cleanup?.();
  });

  const getRunWhen = (runId: string, isDone: (run: Awaited<ReturnType<typeof client.runs.get.query>>) => boolean) =>
    waitFor(() => client.runs.get.query({ runId }), isDone);

  it('answers /healthz and names unknown routes with a JSON 404', async () => {
    const health = await fetch(`${api.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'sqlite' });
    const missing = await fetch(`${api.url}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/json');
    expect(((await missing.json()) as { error: { message: string } }).error.message).toContain('/nope');
  });

  it('refuses a port that is in use with an error naming the setting', async () => {
    const port = Number(new URL(api.url).port);
    await expect(startApiServer({ runtime, host: '127.0.0.1', port })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('set TSFX_API_PORT'),
    });
  });

  it('lists the registry pipelines with their params', async () => {
    const { pipelines } = await client.pipelines.list.query();
    const linear = pipelines.find((p) => p.name === 'linear');
    expect(linear).toMatchObject({ ref: 'linear', source: 'registry', description: 'generate points, fit a line' });
    expect(linear?.params.find((p) => p.name === 'rows')).toEqual({
      name: 'rows',
      kind: 'integer',
      options: [],
      isRequired: false,
      defaultValue: 200,
      description: 'how many points to generate',
    });
    expect(linear?.params.map((p) => p.name)).toEqual(['rows', 'epochs', 'blockWhileExists', 'failIfExists']);
  });

  it('queues a run, the worker completes it, and get/metrics/logs/lineage return it', async () => {
    // Params arrive as strings from forms; the pipeline's schema types them.
    const { run: queued } = await client.runs.start.mutate({ pipeline: 'linear', params: { rows: '300', epochs: '30' } });
    expect(queued).toMatchObject({ pipelineName: 'linear', state: 'QUEUED', params: { rows: 300, epochs: 30 }, useCache: true });

    const detail = await getRunWhen(queued.id, (d) => d.run.state === 'COMPLETE');
    expect(detail.graphError).toBeNull();
    expect(detail.stages.map((s) => [s.stageId, s.upstream, s.execution?.state])).toEqual([
      ['generate', [], 'COMPLETE'],
      ['fit', ['generate'], 'COMPLETE'],
    ]);
    expect(detail.stages[1]?.execution?.progress).toBe(1);
    expect(detail.artifacts.map((a) => [a.stageId, a.channel, a.type, a.isReused])).toEqual([
      ['generate', 'examples', 'Examples', false],
      ['fit', 'modelRun', 'ModelRun', false],
    ]);
    const modelRun = detail.artifacts.find((a) => a.type === 'ModelRun');
    const fit = JSON.parse(await readFile(join(modelRun?.uri ?? '', 'fit.json'), 'utf8')) as { a: number; b: number };
    expect(fit.b).toBeGreaterThan(0.5);

    const { points, lastId } = await client.runs.metrics.query({ runId: queued.id, tags: ['loss'] });
    expect(points.map((p) => p.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(points.at(-1)?.value).toBeLessThan(points[0]?.value ?? 0);
    expect(detail.latestMetrics).toEqual([{ tag: 'loss', step: 30, value: points.at(-1)?.value }]);
    expect((await client.runs.metrics.query({ runId: queued.id, afterId: lastId ?? 0 })).points).toEqual([]);
    const range = await client.runs.metrics.query({ runId: queued.id, stepFrom: 10, stepTo: 12 });
    expect(range.points.map((p) => p.step)).toEqual([10, 11, 12]);

    const logs = await client.runs.logs.query({ runId: queued.id });
    expect(logs.lines.map((l) => [l.stageId, l.message])).toEqual(
      expect.arrayContaining([
        ['generate', 'wrote 300 rows'],
        ['fit', expect.stringMatching(/^fitted a=/)],
      ]),
    );
    const firstPage = await client.runs.logs.query({ runId: queued.id, limit: 1 });
    expect(firstPage.hasMore).toBe(true);
    const rest = await client.runs.logs.query({ runId: queued.id, afterId: firstPage.lastId ?? 0 });
    expect([...firstPage.lines, ...rest.lines].map((l) => l.id)).toEqual(logs.lines.map((l) => l.id));

    const examples = detail.artifacts.find((a) => a.type === 'Examples');
    const lineage = await client.artifacts.lineage.query({ artifactId: examples?.id ?? '' });
    expect(lineage.producers.map((p) => [p.stageId, p.channel, p.runId])).toEqual([['generate', 'examples', queued.id]]);
    expect(lineage.consumers.map((c) => [c.stageId, c.channel, c.artifacts.map((a) => a.artifactId)])).toEqual([
      ['fit', 'examples', [modelRun?.id]],
    ]);

    const { runs } = await client.runs.list.query({ pipeline: 'linear', state: 'COMPLETE' });
    expect(runs.map((r) => r.id)).toContain(queued.id);
    expect((await client.runs.list.query({ state: 'QUEUED' })).runs.map((r) => r.id)).not.toContain(queued.id);
  });

  it('reuses cached stages in a second identical run', async () => {
    const { run: first } = await client.runs.start.mutate({ pipeline: 'linear', params: { rows: 50, epochs: 5 } });
    await getRunWhen(first.id, (d) => d.run.state === 'COMPLETE');
    const { run: second } = await client.runs.start.mutate({ pipeline: 'linear', params: { rows: 50, epochs: 5 } });
    const detail = await getRunWhen(second.id, (d) => d.run.state === 'COMPLETE');
    expect(detail.stages.map((s) => s.execution?.state)).toEqual(['CACHED', 'CACHED']);
    expect(detail.artifacts.every((a) => a.isReused && a.runId === first.id)).toBe(true);
  });

  it('cancels a running run and resumes it, reusing the stage that completed', async () => {
    const flag = join(runtime.cwd, 'block-flag');
    await writeFile(flag, 'x');
    const { run } = await client.runs.start.mutate({ pipeline: 'linear', params: { rows: 40, epochs: 3, blockWhileExists: flag } });
    await getRunWhen(run.id, (d) => d.stages[1]?.execution?.state === 'RUNNING');

    const { run: cancelling } = await client.runs.cancel.mutate({ runId: run.id });
    expect(cancelling.state === 'CANCELED' || cancelling.cancelRequested).toBe(true);
    const cancelled = await getRunWhen(run.id, (d) => d.run.state === 'CANCELED');
    expect(cancelled.stages.map((s) => s.execution?.state)).toEqual(['COMPLETE', 'CANCELED']);

    await rm(flag);
    const { run: requeued } = await client.runs.resume.mutate({ runId: run.id });
    expect(requeued.state).toBe('QUEUED');
    const resumed = await getRunWhen(run.id, (d) => d.run.state === 'COMPLETE');
    expect(resumed.run.attempt).toBe(2);
    expect(resumed.executions.map((e) => `${e.stageId}:${e.state}:${e.attempt}`)).toEqual([
      'generate:COMPLETE:1',
      'fit:CANCELED:1',
      'fit:COMPLETE:2',
    ]);
  });

  it('resumes a FAILED run after its cause is fixed', async () => {
    const flag = join(runtime.cwd, 'fail-flag');
    await writeFile(flag, 'x');
    const { run } = await client.runs.start.mutate({ pipeline: 'linear', params: { rows: 30, epochs: 2, failIfExists: flag } });
    const failed = await getRunWhen(run.id, (d) => d.run.state === 'FAILED');
    expect(failed.run.error).toMatch(/stage 'fit' \(fit\) failed: flag file .* exists/);
    await rm(flag);
    await client.runs.resume.mutate({ runId: run.id });
    const resumed = await getRunWhen(run.id, (d) => d.run.state === 'COMPLETE');
    expect(resumed.stages.map((s) => s.execution?.state)).toEqual(['COMPLETE', 'COMPLETE']);
  });

  it('answers conflicts on finished runs with 409 and the domain error', async () => {
    const { run } = await client.runs.start.mutate({ pipeline: 'linear', params: { rows: 10, epochs: 1 } });
    await getRunWhen(run.id, (d) => d.run.state === 'COMPLETE');
    const error = await client.runs.resume.mutate({ runId: run.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<AppRouter>).data;
    expect(data?.httpStatus).toBe(409);
    expect(data?.pipelineError).toMatchObject({ code: 'CONFLICT', received: 'COMPLETE' });
    const cancel = await fetch(`${api.url}/trpc/runs.cancel`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ runId: run.id }) });
    expect(cancel.status).toBe(409);
  });

  it('rejects malformed input with 400 and the zod issues, never a stack', async () => {
    const response = await fetch(`${api.url}/trpc/runs.start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: 42, useCache: 'yes' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as ErrorBody;
    expect(body.error.data.code).toBe('BAD_REQUEST');
    expect(Object.keys(body.error.data.zodError?.fieldErrors ?? {}).sort()).toEqual(['pipeline', 'useCache']);
    expect(body.error.data.stack).toBeUndefined();
    expect(JSON.stringify(body)).not.toMatch(/\.ts:\d+/);

    const query = await fetch(`${api.url}/trpc/runs.metrics?input=${encodeURIComponent(JSON.stringify({ runId: 'x', stepFrom: 5, stepTo: 1 }))}`);
    expect(query.status).toBe(400);
    expect(((await query.json()) as ErrorBody).error.data.zodError?.fieldErrors).toEqual({
      stepFrom: ['stepFrom must not be greater than stepTo'],
    });

    const notJson = await fetch(`${api.url}/trpc/runs.start`, { method: 'POST', headers: JSON_HEADERS, body: '{"pipeline":' });
    expect(notJson.status).toBe(400);
    const notJsonBody = (await notJson.json()) as ErrorBody;
    expect(notJsonBody.error.data.code).toBe('BAD_REQUEST');
    expect(notJsonBody.error.data.stack).toBeUndefined();
  });

  it('rejects params the pipeline does not accept with 400 naming them', async () => {
    const response = await fetch(`${api.url}/trpc/runs.start`, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ pipeline: 'linear', params: { rows: 'many', colour: 'red' } }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.data.pipelineError?.code).toBe('INVALID_INPUT');
    expect(body.error.message).toMatch(/rows/);
    expect(body.error.message).toMatch(/colour/);
  });

  it('answers unknown ids with 404 naming the id', async () => {
    for (const [procedure, input] of [
      ['runs.get', { runId: 'run_doesnotexist' }],
      ['runs.metrics', { runId: 'run_doesnotexist' }],
      ['runs.logs', { runId: 'run_doesnotexist' }],
      ['artifacts.lineage', { artifactId: 'art_doesnotexist' }],
    ] as const) {
      const response = await fetch(`${api.url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`);
      expect(response.status, procedure).toBe(404);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.data.code).toBe('NOT_FOUND');
      expect(body.error.message).toContain(Object.values(input)[0]);
      expect(body.error.data.pipelineError?.code).toBe('NOT_FOUND');
    }
    const unknownPipeline = await fetch(`${api.url}/trpc/runs.start`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ pipeline: 'nope' }) });
    expect(unknownPipeline.status).toBe(404);
    expect(((await unknownPipeline.json()) as ErrorBody).error.message).toContain("unknown pipeline 'nope'");
    const unknownProcedure = await fetch(`${api.url}/trpc/runs.explode`);
    expect(unknownProcedure.status).toBe(404);
  });

  it('hides the details of unclassified errors from clients and logs them', async () => {
    const { run } = await client.runs.start.mutate({ pipeline: 'linear', params: { rows: 10, epochs: 1 } });
    await getRunWhen(run.id, (d) => d.run.state === 'COMPLETE');
    // A corrupt row (a state no code writes) is a bug, not a user error.
    await runtime.store.db.run.update({ where: { id: run.id }, data: { state: 'EXPLODED' } });
    try {
      const response = await fetch(`${api.url}/trpc/runs.get?input=${encodeURIComponent(JSON.stringify({ runId: run.id }))}`);
      expect(response.status).toBe(500);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.message).toBe('Internal server error; the API log has the details');
      expect(body.error.data.pipelineError).toBeNull();
      expect(JSON.stringify(body)).not.toContain('EXPLODED');
      expect(JSON.stringify(body)).not.toContain('corrupt');
      // The operator's log keeps what the client does not see: the procedure, the cause, the stack.
      expect(loggedErrors.some((line) => line.includes('runs.get') && line.includes(`corrupt metadata row Run ${run.id}`) && /\.ts:\d+/.test(line))).toBe(true);
    } finally {
      await runtime.store.db.run.update({ where: { id: run.id }, data: { state: 'COMPLETE' } });
    }
  });
});
