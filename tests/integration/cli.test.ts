import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnTsfx, tsfx, tsfxJson, waitFor } from './cli-support';

type ShowJson = {
  run: { id: string; state: string; attempt: number; error: string | null };
  executions: { id: string; stageId: string; state: string; cachedFromId: string | null }[];
  artifacts: { id: string; type: string; uri: string }[];
};
type OutcomeJson = { runId: string; state: string; error?: string };

const PIPELINE = 'tests/fixtures/pipelines/demo.ts';

describe('tsfx CLI (real processes, embedded SQLite)', () => {
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'tsfx-cli-'));
    env = { TSFX_HOME: home, TSFX_HEARTBEAT_MS: '250', TSFX_STALE_AFTER_MS: '4000' };
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  const show = (runId: string) => tsfxJson<ShowJson>(['show', runId], env);
  const stageStates = (s: ShowJson) => s.executions.map((e) => `${e.stageId}:${e.state}`);

  it('runs a pipeline file, then reuses every stage as CACHED on the second run', async () => {
    const first = await tsfx(['run', PIPELINE, '--param', 'n=500'], env);
    expect(first.code, first.stderr).toBe(0);
    const runId = /run (run_\w+)/.exec(first.stdout)?.[1] ?? '';
    expect(runId).not.toBe('');
    expect(first.stdout).toContain(`run ${runId} COMPLETE`);
    // The live display (stderr when piped) names each stage as it ends.
    expect(first.stderr).toMatch(/✔ count COMPLETE/);
    expect(stageStates(await show(runId))).toEqual(['count:COMPLETE', 'sum:COMPLETE', 'summary:COMPLETE']);

    const second = await tsfxJson<OutcomeJson>(['run', PIPELINE, '--param', 'n=500'], env);
    expect(second.state).toBe('COMPLETE');
    expect(stageStates(await show(second.runId))).toEqual(['count:CACHED', 'sum:CACHED', 'summary:CACHED']);

    const uncached = await tsfxJson<OutcomeJson>(['run', PIPELINE, '--param', 'n=500', '--no-cache'], env);
    expect(stageStates(await show(uncached.runId))).toEqual(['count:COMPLETE', 'sum:COMPLETE', 'summary:COMPLETE']);

    const human = await tsfx(['show', runId], env);
    expect(human.stdout).toMatch(/STAGE\s+TYPE\s+STATE/);
    expect(human.stdout).toMatch(/value\s+4\s+5/);
    const runs = await tsfx(['runs'], env);
    expect(runs.stdout).toContain(runId);
  });

  it('fails a stage on purpose and resumes from it', async () => {
    const flag = join(home, 'fail-flag');
    await writeFile(flag, '1');
    const failed = await tsfx(['run', PIPELINE, '--param', `failIfExists=${flag}`, '--param', 'n=77'], env);
    expect(failed.code).toBe(1);
    const runId = /run (run_\w+)/.exec(failed.stdout)?.[1] ?? '';
    expect(failed.stderr).toContain(`resume with: tsfx resume ${runId}`);
    expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace for the user
    expect(stageStates(await show(runId))).toEqual(['count:COMPLETE', 'sum:FAILED']);

    await rm(flag);
    const resumed = await tsfx(['resume', runId], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    const after = await show(runId);
    expect(after.run.state).toBe('COMPLETE');
    expect(stageStates(after)).toEqual(['count:COMPLETE', 'sum:FAILED', 'sum:COMPLETE', 'summary:COMPLETE']);

    // Lineage: the Examples artifact was produced by count and consumed by both sum attempts.
    const examples = after.artifacts.find((a) => a.type === 'Examples');
    const lineage = await tsfx(['lineage', examples?.id ?? ''], env);
    expect(lineage.code).toBe(0);
    expect(lineage.stdout).toMatch(/produced by\s+ex_\w+\s+run_\w+\s+count\s+COMPLETE\s+examples/);
    expect(lineage.stdout.match(/consumed by\s+ex_\w+\s+run_\w+\s+sum/g)).toHaveLength(2);
  });

  it('detects a run whose process was killed and resumes it', async () => {
    const flag = join(home, 'block-flag');
    await writeFile(flag, '1');
    const child = spawnTsfx(['run', PIPELINE, '--param', `blockWhileExists=${flag}`, '--param', 'n=91'], env);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await waitFor(async () => /run (run_\w+)/.test(stdout), 30_000, 'run id printed');
    const runId = /run (run_\w+)/.exec(stdout)?.[1] ?? '';
    await waitFor(async () => stageStates(await show(runId)).includes('sum:RUNNING'), 30_000, 'sum RUNNING');
    child.kill('SIGKILL');

    // After the stale threshold, any command notices the dead worker.
    await waitFor(async () => (await show(runId)).run.state === 'FAILED', 30_000, 'run marked FAILED');
    const dead = await show(runId);
    expect(dead.run.error).toMatch(/stopped sending heartbeats/);
    expect(stageStates(dead)).toEqual(['count:COMPLETE', 'sum:FAILED']);

    await rm(flag);
    const resumed = await tsfx(['resume', runId], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await show(runId)).run.state).toBe('COMPLETE');
  });

  it('cancels a running run from another process', async () => {
    const flag = join(home, 'cancel-flag');
    await writeFile(flag, '1');
    const child = spawnTsfx(['run', PIPELINE, '--param', `blockWhileExists=${flag}`, '--param', 'n=92'], env);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    await waitFor(async () => /run (run_\w+)/.test(stdout), 30_000, 'run id printed');
    const runId = /run (run_\w+)/.exec(stdout)?.[1] ?? '';
    await waitFor(async () => stageStates(await show(runId)).includes('sum:RUNNING'), 30_000, 'sum RUNNING');
    const cancel = await tsfx(['cancel', runId], env);
    expect(cancel.code).toBe(0);
    expect(await exited).toBe(130);
    expect((await show(runId)).run.state).toBe('CANCELED');
    await rm(flag);
  });

  it('gives one clear line and a non-zero exit for bad input', async () => {
    const unknown = await tsfx(['run', 'no-such-pipeline'], env);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/^error: unknown pipeline 'no-such-pipeline'; expected one of: .*received 'no-such-pipeline'\n$/);

    const badParam = await tsfx(['run', PIPELINE, '--param', 'n=abc'], env);
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toMatch(/^error: invalid params for pipeline 'demo': n: .*expected number, received string/);

    const missingRun = await tsfx(['show', 'run_missing'], env);
    expect(missingRun.code).toBe(3);
    expect(missingRun.stderr).toMatch(/run_missing/);

    const json = await tsfxJson<{ error: { code: string } }>(['show', 'run_missing'], env);
    expect(json.error.code).toBe('NOT_FOUND');

    const unreachable = await tsfx(['runs'], { ...env, DATABASE_URL: 'postgresql://tsfx@127.0.0.1:1/tsfx' });
    expect(unreachable.code).toBe(6);
    expect(unreachable.stderr).toMatch(/^error: .*127\.0\.0\.1:1/);

    const badUrl = await tsfx(['runs'], { ...env, DATABASE_URL: 'mysql://x' });
    expect(badUrl.code).toBe(2);

    const usage = await tsfx(['frobnicate'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown command 'frobnicate'/);
    // Stack traces of user errors go to the log, not the terminal.
    expect(existsSync(join(home, 'logs', 'cli.log'))).toBe(true);
  });
});
