// Shared by bench/train and bench/serve: the two CNN templates as the train stage builds them,
// the backends to measure, the Python peers, and the ratio table. Peers that cannot run are
// reported as unavailable with the reason, never dropped.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { buildModel, modelTemplates, selectBackend, type TBackendName, type TModelTemplateName } from '@tsfx/ml';

export const BATCH = 32;

export type TBenchModel = { key: 'fmnist' | 'rps'; template: TModelTemplateName; shape: [number, number, number]; classes: number };

export const BENCH_MODELS: readonly TBenchModel[] = [
  { key: 'fmnist', template: 'fashion-mnist-cnn', shape: [28, 28, 1], classes: 10 },
  { key: 'rps', template: 'rps-cnn', shape: [150, 150, 3], classes: 3 },
];

/** The template's model, built exactly as the train stage builds it. */
export function buildBenchModel(spec: TBenchModel): LayersModel {
  const features = [{ name: 'image_xf', dtype: 'float32' as const, shape: spec.shape }];
  return buildModel(modelTemplates[spec.template]({ numClasses: spec.classes, features }), { features, numClasses: spec.classes }).model;
}

/** Images per second over `steps` calls of `step` on a batch of BATCH, after `warmup` untimed calls. */
export async function imagesPerSecond(warmup: number, steps: number, step: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < warmup; i++) await step();
  const start = performance.now();
  for (let i = 0; i < steps; i++) await step();
  return (BATCH * steps) / ((performance.now() - start) / 1000);
}

/** `--backends tensorflow,wasm` (default: both, fastest first). */
export function requestedBackends(argv: readonly string[]): TBackendName[] {
  const flag = argv.indexOf('--backends');
  return (flag >= 0 ? (argv[flag + 1] ?? '').split(',') : ['tensorflow', 'wasm']) as TBackendName[];
}

export type TOurRow = { backend: string; values: Partial<Record<TBenchModel['key'], number>>; unavailable?: string };

/** Runs `measure` for every model on every requested backend; a backend that cannot load says why. */
export async function measureOnBackends(backends: readonly TBackendName[], measure: (spec: TBenchModel, backend: TBackendName) => Promise<number>): Promise<TOurRow[]> {
  const rows: TOurRow[] = [];
  for (const forced of backends) {
    try {
      const selection = await selectBackend({ forced });
      const label = `${selection.backend}${selection.threads ? ` (${selection.threads} threads)` : ''}${selection.tensorflowVersion ? ` (TensorFlow ${selection.tensorflowVersion})` : ''}`;
      console.log(`tsfx backend: ${label}, tfjs ${selection.tfjsVersion}${selection.kernelFixes?.length ? `; kernels: ${selection.kernelFixes.join(', ')}` : ''}`);
      const values: TOurRow['values'] = {};
      for (const spec of BENCH_MODELS) values[spec.key] = await measure(spec, forced);
      rows.push({ backend: label, values });
    } catch (error) {
      rows.push({ backend: forced, values: {}, unavailable: (error as Error).message });
    }
  }
  return rows;
}

export type TPeer = { name: string; result?: Record<string, number | string>; unavailable?: string };

/** Runs a Python peer (`bench/train/peer_*.py THREADS MODE`) that prints one JSON line. */
export function runPeer(name: string, script: string, mode: 'train' | 'predict', needsModule: string): TPeer {
  const probe = spawnSync('python3', ['-c', `import ${needsModule}`], { encoding: 'utf8' });
  if (probe.status !== 0) return { name, unavailable: `python3 cannot import ${needsModule} (${probe.error?.message ?? 'not installed'})` };
  const run = spawnSync('python3', [join(import.meta.dirname, '..', 'train', script), '2', mode], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) return { name, unavailable: (run.stderr || run.error?.message || 'failed').trim().split('\n').at(-1) ?? 'failed' };
  return { name, result: JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number | string> };
}

/** Prints each model's peers and every backend of ours as a ratio against each peer. */
export function printComparison(unit: string, ours: readonly TOurRow[], peers: readonly TPeer[]): void {
  for (const { key } of BENCH_MODELS) {
    const peerCells = peers.map((p) => `${p.name} ${typeof p.result?.[key] === 'number' ? `${(p.result[key] as number).toFixed(1)} ${unit}` : 'unavailable'}`);
    console.log(`${key}: ${peerCells.join(' | ')}`);
    for (const row of ours) {
      const value = row.values[key];
      if (value === undefined) {
        console.log(`  tsfx ${row.backend}: unavailable (${row.unavailable})`);
        continue;
      }
      const ratios = peers.map((p) => `${typeof p.result?.[key] === 'number' ? `${(value / (p.result[key] as number)).toFixed(2)}×` : 'n/a'} ${p.name}`);
      console.log(`  tsfx ${row.backend}: ${value.toFixed(1)} ${unit} = ${ratios.join(', ')}`);
    }
  }
  for (const peer of peers) {
    console.log(`${peer.name}: ${peer.unavailable ? `unavailable (${peer.unavailable})` : `version ${peer.result?.['version']}, ${peer.result?.['threads']} threads`}`);
  }
}
