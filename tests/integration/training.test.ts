import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEventFile, scalarSeries } from '@tsfx/ml/testing';
import { spawnTsfx, tsfx, tsfxJson, waitFor } from './cli-support';

type ShowJson = {
  run: { id: string; state: string; error: string | null };
  executions: { stageId: string; state: string; attempt: number }[];
  artifacts: { id: string; type: string; uri: string; properties: Record<string, unknown> }[];
};
type OutcomeJson = { runId: string; state: string; error?: string };
type PointJson = { tag: string; step: number; value: number };

describe('train, evaluate, export end to end (CLI, embedded SQLite)', () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'tsfx-train-'));
    env = { TSFX_HOME: home, TSFX_HEARTBEAT_MS: '250', TSFX_STALE_AFTER_MS: '3000' };
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  const show = (runId: string) => tsfxJson<ShowJson>(['show', runId], env);
  const artifactOf = (s: ShowJson, type: string) => s.artifacts.find((a) => a.type === type);
  const metrics = (runId: string) => tsfxJson<PointJson[]>(['metrics', runId], env);

  let firstRun: string;

  it('trains the tabular DNN (embedding, one-hot, normalized, bucketized) well above the majority class, and exports it', async () => {
    const outcome = await tsfxJson<OutcomeJson>(['run', 'penguins'], env);
    expect(outcome.state, outcome.error).toBe('COMPLETE');
    firstRun = outcome.runId;
    const s = await show(outcome.runId);
    const evaluation = JSON.parse(await readFile(join(artifactOf(s, 'ModelEvaluation')?.uri ?? '', 'evaluation.json'), 'utf8'));
    // Majority class (Adelie) is 44% of the penguins; the DNN must clearly beat that.
    const counts = evaluation.overall.metrics.perClass.map((c: { support: number }) => c.support) as number[];
    const majority = Math.max(...counts) / counts.reduce((a, b) => a + b, 0);
    expect(evaluation.overall.metrics.accuracy).toBeGreaterThan(majority + 0.3);
    // Sliced by island and sex, and by label.
    const sliceKeys = evaluation.slices.map((slice: { key: string }) => slice.key);
    expect(sliceKeys).toEqual(expect.arrayContaining([expect.stringMatching(/^Island:/), expect.stringMatching(/^Sex:/), expect.stringMatching(/^Species:/)]));

    const blessing = artifactOf(s, 'ModelBlessing');
    expect(blessing?.properties.blessed).toBe(true);
    const pushed = artifactOf(s, 'PushedModel');
    expect(pushed?.properties.version).toBe(1);
    const versionDir = join(home, 'models', 'penguins', '1');
    for (const file of ['model/model.json', 'signature.json', 'transform_graph.json', 'schema.json', 'evaluation.json', 'lineage.json']) {
      expect((await stat(join(versionDir, file))).isFile(), file).toBe(true);
    }
    const signature = JSON.parse(await readFile(join(versionDir, 'signature.json'), 'utf8'));
    expect(signature.classLabels).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(JSON.parse(await readFile(join(versionDir, 'lineage.json'), 'utf8')).runId).toBe(outcome.runId);

    // The model summary is stored with the run and printed by `tsfx show`.
    const text = await tsfx(['show', outcome.runId], env);
    expect(text.stdout).toMatch(/Total params/);
  });

  it('writes TensorBoard event files whose every record checks out and equals the stored metric points', async () => {
    const s = await show(firstRun);
    const modelRun = artifactOf(s, 'ModelRun');
    const points = await metrics(firstRun);
    for (const [run, prefix] of [['train', 'train/'], ['validation', 'validation/']] as const) {
      const dir = join(modelRun?.uri ?? '', 'logs', run);
      const files = (await readdir(dir)).filter((name) => name.includes('tfevents'));
      expect(files).toHaveLength(1);
      // decodeEventFile has its own CRC-32C and protobuf reader: it throws on any bad record.
      const events = await decodeEventFile(join(dir, files[0] as string));
      expect(events[0]?.fileVersion).toBe('brain.Event:2');
      for (const metric of ['epoch_loss', 'epoch_accuracy']) {
        const logged = scalarSeries(events, metric).map((p) => [p.step, p.value]);
        const stored = points.filter((p) => p.tag === `${prefix}${metric}`).map((p) => [p.step, Math.fround(p.value)]);
        expect(stored.length).toBeGreaterThan(3);
        expect(logged).toEqual(stored);
      }
    }
    const tb = await tsfx(['tensorboard', firstRun], env);
    expect(tb.code).toBe(0);
    expect(tb.stdout).toContain(join(modelRun?.uri ?? '', 'logs'));
  });

  it('does not bless or export a model worse than the one serving, and says why', async () => {
    // One epoch at a tiny learning rate: far worse than version 1; the value bound is lowered so
    // that only the comparison with the serving model can refuse it.
    const outcome = await tsfxJson<OutcomeJson>(
      ['run', 'penguins', '--param', 'epochs=1', '--param', 'learningRate=0.00001', '--param', 'minAccuracy=0'],
      env,
    );
    expect(outcome.state, outcome.error).toBe('COMPLETE');
    const s = await show(outcome.runId);
    const blessing = artifactOf(s, 'ModelBlessing');
    expect(blessing?.properties.blessed).toBe(false);
    expect((blessing?.properties.reasons as string[]).join(' ')).toMatch(/accuracy/);
    expect(artifactOf(s, 'ModelEvaluation')?.properties.baselineModelVersion).toBe('1');
    expect(artifactOf(s, 'PushedModel')).toBeUndefined();
    expect(await readdir(join(home, 'models', 'penguins'))).toEqual(['1']);
    const logs = await tsfx(['show', outcome.runId], env);
    expect(logs.code).toBe(0);
  });

  it('fine-tunes the exported model: one epoch from version 1 keeps its accuracy, and is exported as version 2', async () => {
    const outcome = await tsfxJson<OutcomeJson>(
      [
        'run', 'penguins',
        '--param', 'epochs=1', '--param', 'learningRate=0.00001', '--param', 'minAccuracy=0',
        '--param', `warmStartFrom=${join(home, 'models', 'penguins', '1')}`,
      ],
      env,
    );
    expect(outcome.state, outcome.error).toBe('COMPLETE');
    const s = await show(outcome.runId);
    const accuracy = artifactOf(s, 'ModelEvaluation')?.properties.metrics as Record<string, number>;
    expect(accuracy.accuracy).toBeGreaterThan(0.95);
    expect(artifactOf(s, 'ModelBlessing')?.properties.blessed).toBe(true);
    expect(artifactOf(s, 'PushedModel')?.properties.version).toBe(2);
  });

  it('exports quantized weights for small devices and reports the size and accuracy change', async () => {
    const outcome = await tsfxJson<OutcomeJson>(['run', 'penguins', '--param', 'quantize=uint8'], env);
    expect(outcome.state, outcome.error).toBe('COMPLETE');
    const s = await show(outcome.runId);
    const pushed = artifactOf(s, 'PushedModel')?.properties as { version: number; quantization: string; weightBytes: number; accuracyChange: number };
    expect(pushed.quantization).toBe('uint8');
    // Training was cached from the first run (only the export changed): its model has the params.
    const params = artifactOf(await show(firstRun), 'Model')?.properties.paramCount as number;
    // One byte per weight instead of four.
    expect(params).toBeGreaterThan(1000);
    expect(pushed.weightBytes).toBeLessThan(params * 1.1);
    expect(Math.abs(pushed.accuracyChange)).toBeLessThan(0.05);
    const manifest = JSON.parse(await readFile(join(home, 'models', 'penguins', String(pushed.version), 'model', 'model.json'), 'utf8'));
    expect(manifest.weightsManifest[0].weights[0].quantization.dtype).toBe('uint8');
    const logs = await tsfx(['show', outcome.runId], env);
    expect(logs.code).toBe(0);
  });

  it('resumes a training process killed mid-epoch from its last checkpoint', async () => {
    const child = spawnTsfx(['run', 'fashion-mnist', '--param', 'limit=3000', '--param', 'epochs=3', '--json'], env);
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const artifacts = join(home, 'artifacts');
    const checkpoint = async () => {
      for (const run of await readdir(artifacts).catch(() => [] as string[])) {
        const dir = join(artifacts, run, 'train', '.work', 'checkpoints');
        const found = await readdir(dir).catch(() => [] as string[]);
        if (found.includes('epoch-1')) return run;
      }
      return undefined;
    };
    await waitFor(async () => (await checkpoint()) !== undefined, 240_000, 'a checkpoint after epoch 1');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('close', resolve));
    const runId = (await checkpoint()) as string;
    expect(stdout).not.toContain('"state"');

    // The heartbeat stops; the run is marked FAILED (resumable) and resumes from the checkpoint.
    await waitFor(async () => (await show(runId)).run.state === 'FAILED', 30_000, 'the killed run to be marked FAILED');
    const resumed = await tsfxJson<OutcomeJson>(['resume', runId], env);
    expect(resumed.state, resumed.error).toBe('COMPLETE');
    const s = await show(runId);
    const modelRun = artifactOf(s, 'ModelRun');
    expect(modelRun?.properties.resumedFromEpoch).toBeGreaterThanOrEqual(1);
    expect(modelRun?.properties.epochs).toBe(3);
    const curve = (await metrics(runId)).filter((p) => p.tag === 'validation/epoch_accuracy');
    expect(curve.map((p) => p.step)).toEqual([0, 1, 2].slice(0, curve.length));
    expect(new Set(curve.map((p) => p.step)).size).toBe(3);
  });
});
