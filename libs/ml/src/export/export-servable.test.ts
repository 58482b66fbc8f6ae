import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTempDir } from '@tsfx/shared/testing';
import { type ExportServableOptions, exportServable } from './export-servable';
import { readServable } from './read-servable';
import { readVersionNumbers } from './servable-layout';
import type { TServableSignatureInput } from './servable-signature';
import { buildClassifier, useCpuBackend } from './testing/tiny-models';

const SIGNATURE: TServableSignatureInput = {
  task: 'classification',
  inputs: {
    raw: [
      { name: 'bill_length_mm', dtype: 'number', shape: [] },
      { name: 'bill_depth_mm', dtype: 'number', shape: [] },
      { name: 'flipper_length_mm', dtype: 'number', shape: [] },
      { name: 'island', dtype: 'string', shape: [] },
    ],
    transformed: [{ name: 'features', dtype: 'float32', shape: [null, 4] }],
  },
  outputs: [{ name: 'probabilities', dtype: 'float32', shape: [null, 3] }],
  classLabels: ['Adelie', 'Chinstrap', 'Gentoo'],
};

const TRANSFORM_GRAPH = JSON.stringify({ version: 1, columns: [{ name: 'island', kind: 'vocabulary', vocabulary: ['Biscoe', 'Dream'] }] });

describe('exportServable and readServable', () => {
  let model: tfl.LayersModel;
  const xs = tf.tensor2d([[0.1, -0.2, 0.3, 0.9], [-1, 0.5, 0.25, 0]]);
  beforeAll(async () => {
    await useCpuBackend();
    model = buildClassifier();
  });
  afterAll(() => xs.dispose());

  const options = (modelBasePath: string, extra: Partial<ExportServableOptions> = {}): ExportServableOptions => ({
    modelBasePath,
    modelName: 'penguins',
    model,
    files: { 'transform_graph.json': TRANSFORM_GRAPH, 'schema.json': '{"features":[]}', 'evaluation.json': '{"accuracy":0.97}' },
    signature: SIGNATURE,
    lineage: { pipelineName: 'penguins', runId: 'run_1', artifacts: { model: 'art_m', transformGraph: 'art_t' } },
    now: () => new Date('2026-05-01T12:00:00.000Z'),
    ...extra,
  });

  const predict = (m: tfl.LayersModel) => tf.tidy(() => (m.predict(xs) as tf.Tensor).dataSync() as Float32Array);

  it('writes numbered versions in TF Serving layout and reads one back whole', async () => {
    await withTempDir(async (base) => {
      const first = await exportServable(options(base));
      expect(first).toMatchObject({ version: 1, path: join(base, 'penguins', '1') });
      const second = await exportServable(options(base));
      expect(second.version).toBe(2);
      expect(await readdir(join(base, 'penguins'))).toEqual(['1', '2']);
      expect((await readdir(second.path)).sort()).toEqual(['evaluation.json', 'lineage.json', 'model', 'schema.json', 'signature.json', 'transform_graph.json']);
      expect((await readdir(join(second.path, 'model'))).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);

      const servable = await readServable(second.path);
      expect(servable.signature).toMatchObject({
        modelName: 'penguins',
        version: 2,
        createdAt: '2026-05-01T12:00:00.000Z',
        tfjsVersion: '4.22.0',
        quantization: 'none',
        classLabels: ['Adelie', 'Chinstrap', 'Gentoo'],
      });
      expect(servable.signature.files.map((f) => f.name)).toEqual(['transform_graph.json', 'schema.json', 'evaluation.json']);
      expect(servable.lineage).toEqual({ pipelineName: 'penguins', runId: 'run_1', artifacts: { model: 'art_m', transformGraph: 'art_t' } });
      expect(servable.transformGraphText).toBe(TRANSFORM_GRAPH);
      expect(servable.files['evaluation.json']).toBe('{"accuracy":0.97}');
      expect(predict(servable.model)).toEqual(predict(model));
    });
  });

  it('takes a given version, refuses an existing one, and ignores folders that are not versions', async () => {
    await withTempDir(async (base) => {
      await mkdir(join(base, 'penguins', '.tmp-12345678', 'model'), { recursive: true });
      await writeFile(join(base, 'penguins', '40'), 'a file, not a version');
      expect((await exportServable(options(base, { version: 7 }))).path).toBe(join(base, 'penguins', '7'));
      await expect(exportServable(options(base, { version: 7 }))).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/model 'penguins' already has version 7/),
      });
      expect((await exportServable(options(base))).version).toBe(8);
      expect(await readVersionNumbers(join(base, 'penguins'))).toEqual([7, 8]);
    });
  });

  it('gives concurrent exports distinct versions', async () => {
    await withTempDir(async (base) => {
      const results = await Promise.all([1, 2, 3].map(() => exportServable(options(base))));
      expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3]);
      for (const r of results) expect((await readServable(r.path)).version).toBe(r.version);
      expect((await readdir(join(base, 'penguins'))).sort()).toEqual(['1', '2', '3']);
    });
  });

  it('exports quantized weights and records the quantization in the signature', async () => {
    await withTempDir(async (base) => {
      const plain = await exportServable(options(base));
      const small = await exportServable(options(base, { quantize: 'uint8' }));
      expect(small.signature.quantization).toBe('uint8');
      expect(small.weightBytes).toBeLessThan(plain.weightBytes / 3);
      const servable = await readServable(small.path);
      const original = predict(model);
      predict(servable.model).forEach((p, i) => expect(Math.abs(p - (original[i] as number))).toBeLessThan(1e-2));
    });
  });

  it('rejects inputs that would make a broken servable, and writes nothing', async () => {
    await withTempDir(async (base) => {
      const twoLabels = { ...SIGNATURE, classLabels: ['a', 'b'] };
      await expect(exportServable(options(base, { signature: twoLabels }))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining("class labels: signature has 2, model's first output has 3 units"),
      });
      const wrongShape = { ...SIGNATURE, inputs: { ...SIGNATURE.inputs, transformed: [{ name: 'features', dtype: 'float32' as const, shape: [null, 5] }] } };
      await expect(exportServable(options(base, { signature: wrongShape }))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining("input 'features' shape: signature [null, 5], model [null, 4]"),
      });
      const regression = { ...SIGNATURE, task: 'regression' as const };
      await expect(exportServable(options(base, { signature: regression }))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('classLabels: a regression model has no class labels'),
      });
      await expect(exportServable(options(base, { files: { 'schema.json': '{}' } as never }))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('a servable needs transform_graph.json'),
      });
      await expect(
        exportServable(options(base, { files: { 'transform_graph.json': TRANSFORM_GRAPH, 'signature.json': '{}' } })),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('named "signature.json"') });
      await expect(exportServable(options(base, { modelName: '../escape' }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(exportServable(options(base, { version: 0 }))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await readdir(base)).toEqual([]);
    });
  });

  describe('readServable reports damage as ARTIFACT_CORRUPT', () => {
    async function exported(base: string): Promise<string> {
      return (await exportServable(options(base))).path;
    }

    it('a version without signature.json (an incomplete copy)', async () => {
      await withTempDir(async (base) => {
        const dir = await exported(base);
        await rm(join(dir, 'signature.json'));
        await expect(readServable(dir)).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          message: expect.stringMatching(/1\/signature\.json is missing; expected servable signature; received no such file/),
        });
      });
    });

    it('a signature that does not validate', async () => {
      await withTempDir(async (base) => {
        const dir = await exported(base);
        const signature = JSON.parse(await readFile(join(dir, 'signature.json'), 'utf8')) as Record<string, unknown>;
        await writeFile(join(dir, 'signature.json'), JSON.stringify({ ...signature, classLabels: ['only-one'] }));
        await expect(readServable(dir)).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          received: expect.stringContaining('classLabels: a classifier needs at least 2 class labels'),
        });
      });
    });

    it('a version folder renamed to another number', async () => {
      await withTempDir(async (base) => {
        const dir = await exported(base);
        await rename(dir, join(base, 'penguins', '5'));
        await expect(readServable(join(base, 'penguins', '5'))).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          expected: "version 5 (the folder's name)",
          received: 'version 1',
        });
      });
    });

    it('a shipped file edited after export, or removed', async () => {
      await withTempDir(async (base) => {
        const dir = await exported(base);
        await writeFile(join(dir, 'schema.json'), '{"features":[1]}');
        await expect(readServable(dir)).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          message: expect.stringMatching(/schema\.json has the wrong size; expected 15 bytes; received 16 bytes/),
        });
        await writeFile(join(dir, 'schema.json'), '{"features":{}}');
        await expect(readServable(dir)).rejects.toMatchObject({ code: 'ARTIFACT_CORRUPT', message: expect.stringContaining('schema.json was modified after export') });
        await rm(join(dir, 'transform_graph.json'));
        await expect(readServable(dir)).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          message: expect.stringContaining('transform_graph.json is missing'),
        });
      });
    });

    it('a model shard that went missing', async () => {
      await withTempDir(async (base) => {
        const dir = await exported(base);
        await rm(join(dir, 'model', 'group1-shard1of1.bin'));
        await expect(readServable(dir)).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          message: expect.stringContaining('model/group1-shard1of1.bin is missing'),
        });
      });
    });
  });
});
