import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZAnomalies, applyTransform, parseTransformGraph, type TAnomalies } from '@tsfx/data';
import { tsfx, tsfxJson } from './cli-support';

type ShowJson = {
  run: { id: string; state: string; error: string | null };
  executions: { stageId: string; state: string }[];
  artifacts: { id: string; type: string; uri: string; properties: Record<string, unknown> }[];
};
type OutcomeJson = { runId: string; state: string; error?: string };

/** Deterministic pseudo-random numbers (mulberry32), so the planted data is the same every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function normal(rand: () => number) {
  return Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
}

/**
 * Span 0: clean. Span 1 (planted): `income` shifted by 3 std, a new `city` value in 1% of rows,
 * `tier` changed from numbers to strings, `score` dropped, and 4 malformed rows.
 */
function makeCsv(span: 0 | 1, rows: number): { text: string; malformedLines: number[] } {
  const rand = random(span === 0 ? 7 : 11);
  const header = span === 0 ? 'id,age,income,city,tier,score,label' : 'id,age,income,city,tier,label';
  const lines = [header];
  const malformedLines: number[] = [];
  for (let i = 0; i < rows; i += 1) {
    const age = Math.round(40 + 12 * normal(rand));
    const income = (50_000 + 15_000 * normal(rand) + (span === 1 ? 45_000 : 0)).toFixed(2);
    const city = span === 1 && i % 100 === 0 ? 'Atlantis' : ['Paris', 'Lyon', 'Nice'][Math.floor(rand() * 3)];
    const tier = span === 1 ? ['gold', 'silver'][i % 2] : String(1 + (i % 3));
    const label = rand() < 0.4 ? 'yes' : 'no';
    if (span === 0) lines.push(`${i},${age},${income},${city},${tier},${(rand() * 10).toFixed(3)},${label}`);
    else lines.push(`${i},${age},${income},${city},${tier},${label}`);
    if (span === 1 && i > 0 && i % 500 === 0) {
      // Planted bad rows: one with a missing field, one with an unparsable age.
      lines.push(`${i},${age},${income}`);
      malformedLines.push(lines.length);
      lines.push(`${i},forty,${income},${city},${tier},${label}`);
      malformedLines.push(lines.length);
    }
  }
  return { text: `${lines.join('\n')}\n`, malformedLines };
}

describe('data pipelines end to end (CLI, embedded SQLite)', () => {
  let home: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'tsfx-data-'));
    env = { TSFX_HOME: home };
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  const show = (runId: string) => tsfxJson<ShowJson>(['show', runId], env);
  const artifactOf = (s: ShowJson, type: string) => s.artifacts.find((a) => a.type === type);
  const anomaliesOf = async (s: ShowJson, split: string): Promise<TAnomalies> =>
    ZAnomalies.parse(JSON.parse(await readFile(join(artifactOf(s, 'ExampleAnomalies')?.uri ?? '', `Split-${split}`, 'anomalies.json'), 'utf8')));

  it('finds exactly the planted problems: quarantined rows, anomalies, and drift on the shifted column only', async () => {
    const span0 = join(home, 'customers-0.csv');
    const span1 = join(home, 'customers-1.csv');
    await writeFile(span0, makeCsv(0, 1500).text);
    const planted = makeCsv(1, 1500);
    await writeFile(span1, planted.text);

    const first = await tsfxJson<OutcomeJson>(['run', 'csv', '--param', `path=${span0}`], env);
    expect(first.state, first.error).toBe('COMPLETE');
    const clean = await show(first.runId);
    expect(artifactOf(clean, 'Examples')?.properties['span']).toBe(0);
    for (const split of ['train', 'eval']) expect((await anomaliesOf(clean, split)).anomalies).toEqual([]);

    // The user reviews the inferred schema and pins it for later spans.
    const pinned = join(home, 'schema.json');
    await copyFile(join(artifactOf(clean, 'Schema')?.uri ?? '', 'schema.json'), pinned);

    const second = await tsfxJson<OutcomeJson>(['run', 'csv', '--param', `path=${span1}`, '--param', `schema=${pinned}`], env);
    expect(second.state, second.error).toBe('COMPLETE');
    const shifted = await show(second.runId);
    expect(artifactOf(shifted, 'Examples')?.properties['span']).toBe(1);

    // Every malformed row is quarantined with its line number and a reason; nothing is dropped silently.
    const quarantine = artifactOf(shifted, 'QuarantinedExamples');
    expect(quarantine?.properties['count']).toBe(planted.malformedLines.length);
    const quarantined = (await readFile(join(quarantine?.uri ?? '', 'quarantine.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { line: number; reason: string });
    expect(quarantined.map((q) => q.line)).toEqual(planted.malformedLines);
    expect(quarantined.some((q) => /column/i.test(q.reason))).toBe(true);
    expect(quarantined.some((q) => /forty/.test(q.reason))).toBe(true);

    const train = await anomaliesOf(shifted, 'train');
    const found = train.anomalies.map((a) => `${a.feature}:${a.kind}`).sort();
    expect(found).toEqual(
      [
        'city:ENUM_TYPE_UNEXPECTED_STRING_VALUES',
        'income:COMPARATOR_JENSEN_SHANNON_DIVERGENCE_HIGH',
        'score:SCHEMA_MISSING_COLUMN',
        'tier:UNEXPECTED_DATA_TYPE',
      ].sort(),
    );
    const aboveThreshold = train.driftScores.filter((score) => score.isAnomalous).map((score) => score.feature);
    expect(aboveThreshold).toEqual(['income']);
    expect(train.driftScores.map((score) => score.feature)).toEqual(expect.arrayContaining(['age', 'income', 'city']));
    // Skew between train and eval of the same span: nothing crosses a threshold.
    const evalAnomalies = await anomaliesOf(shifted, 'eval');
    expect(evalAnomalies.skewScores.length).toBeGreaterThan(0);
    expect(evalAnomalies.skewScores.filter((score) => score.isAnomalous)).toEqual([]);

    // The same checks without a pipeline: tsfx validate exits 1 on error anomalies.
    const validate = await tsfx(['validate', span1, '--schema', pinned, '--baseline', span0], env);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(/tier.*Unexpected data type|tier.*type/i);
    const ok = await tsfx(['validate', span0, '--schema', pinned], env);
    expect(ok.code, ok.stdout).toBe(0);
  });

  it('runs Fashion-MNIST (Debian IDX files) through ingest, statistics, schema, validate, transform and on', async () => {
    const outcome = await tsfxJson<OutcomeJson>(['run', 'fashion-mnist', '--param', 'limit=3000', '--param', 'epochs=1'], env);
    expect(outcome.state, outcome.error).toBe('COMPLETE');
    const run = await show(outcome.runId);
    expect(run.executions.map((e) => `${e.stageId}:${e.state}`)).toEqual([
      'ingest:COMPLETE',
      'statistics:COMPLETE',
      'schema:COMPLETE',
      'validate:COMPLETE',
      'transform:COMPLETE',
      'train:COMPLETE',
      'evaluate:COMPLETE',
      'export:COMPLETE',
    ]);
    const examples = artifactOf(run, 'Examples');
    const counts = examples?.properties['rowCounts'] as Record<string, number>;
    expect((counts['train'] ?? 0) + (counts['eval'] ?? 0)).toBe(3000);
    // 5:1, like the official 50,000/10,000 train/test sizes.
    expect((counts['train'] ?? 0) / 3000).toBeGreaterThan(0.78);
    expect((counts['train'] ?? 0) / 3000).toBeLessThan(0.88);
    const schema = JSON.parse(await readFile(join(artifactOf(run, 'Schema')?.uri ?? '', 'schema.json'), 'utf8')) as {
      features: { name: string; type: string }[];
    };
    expect(schema.features.map((f) => `${f.name}:${f.type}`).sort()).toEqual(['image:image', 'label:number']);
    const stats = await tsfx(['stats', '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'], env);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/10,000 examples/);
    expect(stats.stdout).toMatch(/shape 28×28×1/);
  });

  it('runs the real tabular set (penguins) and applies its fitted transform to a serving row', async () => {
    const outcome = await tsfxJson<OutcomeJson>(['run', 'penguins'], env);
    expect(outcome.state, outcome.error).toBe('COMPLETE');
    const run = await show(outcome.runId);
    const graph = parseTransformGraph(
      await readFile(join(artifactOf(run, 'TransformGraph')?.uri ?? '', 'transform_graph.json'), 'utf8'),
    );
    const row = {
      'Beak Length (mm)': 39.1,
      'Beak Depth (mm)': 18.7,
      'Flipper Length (mm)': 181,
      'Body Mass (g)': 3750,
      Island: 'Torgersen',
      Sex: 'MALE',
    };
    const out = applyTransform(graph, [row]);
    const island = out.features['island_indicator_xf'];
    expect(Array.from(island?.values ?? []).reduce((a, b) => a + b, 0)).toBe(1); // one-hot
    const mass = out.features['Body Mass (g)_xf'];
    expect(Math.abs(mass?.values[0] ?? NaN)).toBeLessThan(2); // z-scored
    expect(out.features['sex_embedding_xf']?.dtype).toBe('int32');

    const schema = await tsfx(['schema', join('node_modules', 'vega-datasets', 'data', 'penguins.json')], env);
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout)).toMatchObject({ features: expect.arrayContaining([expect.objectContaining({ name: 'Island' })]) });
  });
});
