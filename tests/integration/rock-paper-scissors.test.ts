import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsfx, tsfxJson } from './cli-support';

type ShowJson = { artifacts: { type: string; uri: string; properties: Record<string, unknown> }[] };
type OutcomeJson = { runId: string; state: string; error?: string };
type PointJson = { tag: string; step: number; value: number };

/**
 * Acceptance scene 2: the talk's rock-paper-scissors CNN on 150×150×3 images in one folder per
 * class. The images are drawn procedurally (hands on a light background; see @tsfx/data's
 * generateRockPaperScissors), so it runs offline; `--param dataDir=` takes the real set.
 */
describe("the talk's rock-paper-scissors CNN", () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'tsfx-rps-'));
    // Forced to wasm: with the native backend installed the other scenes train on it, and this
    // one keeps the wasm training kernels (composed gradients, 2 threads) covered end to end.
    env = { TSFX_HOME: home, TSFX_BACKEND: 'wasm' };
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  it('trains on a generated 3-class image folder and its validation accuracy climbs from about 33%', async () => {
    const dataDir = join(home, 'rps');
    const outcome = await tsfxJson<OutcomeJson>(
      ['run', 'rock-paper-scissors', '--param', `dataDir=${dataDir}`, '--param', 'generate=true'],
      env,
    );
    expect(outcome.state, outcome.error).toBe('COMPLETE');

    // The talk's summary: 150 → 148 → 74 → 72 → 36 → 34 → 17 → 15 → 7.
    const show = await tsfxJson<ShowJson>(['show', outcome.runId], env);
    expect(show.artifacts.find((a) => a.type === 'Model')?.properties['backend']).toBe('wasm');
    const text = await tsfx(['show', outcome.runId], env);
    for (const shape of ['(None, 148, 148, 64)', '(None, 74, 74, 64)', '(None, 36, 36, 64)', '(None, 17, 17, 128)', '(None, 7, 7, 128)', '3,473,475']) {
      expect(text.stdout).toContain(shape);
    }

    const points = await tsfxJson<PointJson[]>(['metrics', outcome.runId, '--tag', 'validation/epoch_accuracy'], env);
    const curve = points.map((p) => p.value);
    expect(curve).toHaveLength(10);
    // Chance is 1/3: the first epochs sit near it, the last ones far above.
    expect(curve[0]).toBeLessThan(0.6);
    expect(Math.max(...curve.slice(-3))).toBeGreaterThan(0.8);
    expect(Math.max(...curve.slice(-3))).toBeGreaterThan((curve[0] as number) + 0.25);
  }, 30 * 60_000);
});
