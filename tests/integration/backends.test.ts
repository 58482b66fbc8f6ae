import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tsfx } from './cli-support';

type DoctorJson = {
  available: string[];
  missing: { backend: string; reason: string }[];
  selected: { backend: string; tensorflowVersion?: string; kernelFixes?: string[]; graphFunctions?: boolean } | { error: string };
  forced?: string;
  nativeBuild?: { graphFunctions?: boolean };
};

async function doctor(env: Record<string, string>): Promise<{ code: number; report: DoctorJson; stdout: string }> {
  const result = await tsfx(['doctor', '--json'], env);
  return { code: result.code, report: JSON.parse(result.stdout) as DoctorJson, stdout: result.stdout };
}

/**
 * `tsfx doctor` through the real CLI: which backends this machine has, why the others are
 * missing, and which one a run would use. The native backend exists only where
 * `npm run setup:native` succeeded; both outcomes are checked for what they must say.
 */
describe('tsfx doctor', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'tsfx-doctor-'));
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  it('lists every backend as available or missing with a reason, and runs use the fastest', async () => {
    const { code, report } = await doctor({ TSFX_HOME: home });
    expect(code).toBe(0);
    expect(report.available).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    expect([...report.available, ...report.missing.map((m) => m.backend)].sort()).toEqual(['cpu', 'tensorflow', 'wasm']);
    if (report.available.includes('tensorflow')) {
      expect(report.selected).toMatchObject({ backend: 'tensorflow', tensorflowVersion: expect.stringMatching(/^2\.\d+/) });
      expect((report.selected as { kernelFixes: string[] }).kernelFixes).toContain('Step (native ops)');
      // An addon built by setup:native carries the graph-function calls, and runs use them.
      if (report.nativeBuild) {
        expect(report.nativeBuild.graphFunctions).toBe(true);
        expect(report.selected).toMatchObject({ graphFunctions: true });
        expect((await tsfx(['doctor'], { TSFX_HOME: home })).stdout).toContain('training steps and inference as graph functions');
      }
    } else {
      expect(report.missing.find((m) => m.backend === 'tensorflow')?.reason).toMatch(/setup:native/);
      expect(report.selected).toMatchObject({ backend: 'wasm' });
    }
    const text = await tsfx(['doctor'], { TSFX_HOME: home });
    expect(text.stdout).toMatch(/✔ wasm/);
    expect(text.stdout).toContain(`runs use: ${report.available[0]}`);
  });

  it('honours TSFX_BACKEND, and a forced backend that cannot run fails with what was expected', async () => {
    const cpu = await doctor({ TSFX_HOME: home, TSFX_BACKEND: 'cpu' });
    expect(cpu.report.selected).toMatchObject({ backend: 'cpu' });
    expect(cpu.report.forced).toBe('cpu');

    const native = await doctor({ TSFX_HOME: home, TSFX_BACKEND: 'tensorflow' });
    if (native.report.available.includes('tensorflow')) {
      expect(native.code).toBe(0);
      expect(native.report.selected).toMatchObject({ backend: 'tensorflow' });
    } else {
      expect(native.code).toBe(1);
      expect((native.report.selected as { error: string }).error).toMatch(/tensorflow backend was asked for/);
    }
  });
});
