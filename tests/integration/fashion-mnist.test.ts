import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsfxJson } from './cli-support';

type ShowJson = {
  run: { id: string; state: string };
  artifacts: { type: string; uri: string; properties: Record<string, unknown> }[];
};
type OutcomeJson = { runId: string; state: string; error?: string };
type PointJson = { tag: string; step: number; value: number };

/**
 * Acceptance scene 1: the whole Fashion-MNIST pipeline on the real 60,000 images (Debian's
 * dataset-fashion-mnist), as `npm run demo` runs it, on the default backend. Takes minutes.
 */
describe('Fashion-MNIST end to end', () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'tsfx-fmnist-'));
    env = { TSFX_HOME: home };
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  it('ingests, validates, transforms, trains the CNN to ≥ 90% held-out accuracy with curves stored, evaluates, and exports', async () => {
    const outcome = await tsfxJson<OutcomeJson>(['run', 'fashion-mnist'], env);
    expect(outcome.state, outcome.error).toBe('COMPLETE');
    const show = await tsfxJson<ShowJson>(['show', outcome.runId], env);
    const byType = (type: string) => show.artifacts.find((a) => a.type === type);

    const metrics = byType('ModelEvaluation')?.properties.metrics as Record<string, number>;
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.9);
    const evaluation = JSON.parse(await readFile(join(byType('ModelEvaluation')?.uri ?? '', 'evaluation.json'), 'utf8'));
    expect(evaluation.exampleCount).toBeGreaterThan(9000);
    expect(evaluation.overall.metrics.confusionMatrix).toHaveLength(10);

    const points = await tsfxJson<PointJson[]>(['metrics', outcome.runId, '--tag', 'validation/epoch_accuracy', 'train/epoch_loss'], env);
    const validation = points.filter((p) => p.tag === 'validation/epoch_accuracy');
    const loss = points.filter((p) => p.tag === 'train/epoch_loss').map((p) => p.value);
    expect(validation.length).toBe(byType('ModelRun')?.properties.epochs);
    expect(loss.at(-1)).toBeLessThan(loss[0] as number);

    // Trained on the backend `tsfx doctor` says runs use, and on the native one with its steps as graph functions.
    const doctor = await tsfxJson<{ selected: { backend: string; graphFunctions?: boolean } }>(['doctor', '--json'], env);
    const model = byType('Model')?.properties;
    expect(model?.backend).toBe(doctor.selected.backend);
    expect(model?.graphFunctions).toBe(doctor.selected.graphFunctions);

    expect(byType('ModelBlessing')?.properties.blessed).toBe(true);
    const version = byType('PushedModel')?.properties.version as number;
    expect((await stat(join(home, 'models', 'fashion-mnist', String(version), 'model', 'model.json'))).isFile()).toBe(true);
  }, 45 * 60_000);
});
