import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTempDir } from '@tsfx/shared/testing';
import { directoryLoadHandler, directorySaveHandler, readModelJson } from './directory-io';
import { loadModelFromDirectory, saveModelToDirectory } from './save-load';
import { buildClassifier, makeClassificationData, maxWeightDifference, useCpuBackend, weightValues } from './testing/tiny-models';
import { weightSizeBytes } from './weights-manifest';

/** A model whose weights (8·500 + 500 + 4·500 + 500·3 + 3 floats ≈ 32 KB) span several small shards. */
function buildWiderModel(): tfl.LayersModel {
  return buildClassifier({ features: 8, hidden: 500, classes: 3 });
}

function predict(model: tfl.LayersModel, xs: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(xs) as tf.Tensor).dataSync() as Float32Array);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - (b[i] as number))), 0);
}

/** Runs `fn` with a static file server on `root`: what a browser's loadLayersModel('http://…') talks to. */
async function withStaticServer<T>(root: string, fn: (baseUrl: string) => Promise<T>): Promise<T> {
  const server = createServer((req, res) => {
    const path = join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    readFile(path).then(
      (body) => res.writeHead(200).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('model directory save and load handlers', () => {
  const data = { xs: tf.zeros([1, 1]), ys: tf.zeros([1, 1]) };
  beforeAll(async () => {
    await useCpuBackend();
    Object.assign(data, makeClassificationData(32, 8));
  });
  afterAll(() => tf.dispose([data.xs, data.ys]));

  it('round-trips weights bit for bit and keeps the TF.js layers model.json layout', async () => {
    await withTempDir(async (root) => {
      const model = buildWiderModel();
      // Move the batch-norm moving statistics off their initial values.
      model.predict(data.xs);
      model.setUserDefinedMetadata({ transformArtifactId: 'art_123' });
      const dir = join(root, 'model');
      await model.save(directorySaveHandler(dir));

      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
      expect(json.format).toBe('layers-model');
      expect(json.convertedBy).toBeNull();
      expect(json.generatedBy).toMatch(/^TensorFlow\.js tfjs-layers v4\.22/);
      expect(json.userDefinedMetadata).toEqual({ transformArtifactId: 'art_123' });
      expect((json.modelTopology as { class_name: string }).class_name).toBe('Sequential');
      expect(json.weightsManifest).toEqual([{ paths: ['group1-shard1of1.bin'], weights: expect.any(Array) }]);

      const loaded = await tfl.loadLayersModel(directoryLoadHandler(dir));
      // Variable names get a uniquifying suffix on load; layers and values are what must match.
      expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
      expect(loaded.weights).toHaveLength(model.weights.length);
      weightValues(loaded).forEach((values, i) => expect(values).toEqual(weightValues(model)[i]));
      expect(predict(loaded, data.xs)).toEqual(predict(model, data.xs));
      expect(loaded.getUserDefinedMetadata()).toEqual({ transformArtifactId: 'art_123' });
      // Atomic write: nothing but the model folder next to it.
      expect(await readdir(root)).toEqual(['model']);
    });
  });

  it('splits the weights into shards of at most shardBytes, which a loader concatenates', async () => {
    await withTempDir(async (root) => {
      const model = buildWiderModel();
      const dir = join(root, 'sharded');
      const { weightBytes, modelJson } = await saveModelToDirectory(model, dir, { shardBytes: 10_000 });
      const expectedShards = Math.ceil(weightBytes / 10_000);
      expect(expectedShards).toBeGreaterThanOrEqual(3);
      const paths = modelJson.weightsManifest[0]?.paths ?? [];
      expect(paths).toEqual(Array.from({ length: expectedShards }, (_, i) => `group1-shard${i + 1}of${expectedShards}.bin`));
      const sizes = await Promise.all(paths.map(async (p) => (await stat(join(dir, p))).size));
      expect(sizes.slice(0, -1).every((s) => s === 10_000)).toBe(true);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(weightBytes);
      expect(weightBytes).toBe(weightSizeBytes(modelJson.weightsManifest));
      const loaded = await loadModelFromDirectory(dir);
      expect(maxWeightDifference(loaded, model)).toBe(0);
    });
  });

  it('serves the same folder to loadLayersModel over http, as a browser would fetch it', async () => {
    await withTempDir(async (root) => {
      const model = buildWiderModel();
      await saveModelToDirectory(model, join(root, 'web', 'model'), { shardBytes: 16_384, quantize: 'uint8' });
      const viaHttp = await withStaticServer(join(root, 'web'), (base) => tfl.loadLayersModel(`${base}/model/model.json`));
      const viaDisk = await loadModelFromDirectory(join(root, 'web', 'model'));
      expect(maxWeightDifference(viaHttp, viaDisk)).toBe(0);
    });
  });

  for (const quantize of ['uint8', 'uint16', 'float16'] as const) {
    it(`${quantize}: shrinks the weights and still predicts close to the original`, async () => {
      await withTempDir(async (root) => {
        const model = buildWiderModel();
        const plain = await saveModelToDirectory(model, join(root, 'plain'));
        const small = await saveModelToDirectory(model, join(root, quantize), { quantize });
        const ratio = small.weightBytes / plain.weightBytes;
        expect(ratio).toBeCloseTo(quantize === 'uint8' ? 0.25 : 0.5, 2);
        expect(weightSizeBytes(small.modelJson.weightsManifest)).toBe(small.weightBytes);

        const loaded = await loadModelFromDirectory(join(root, quantize));
        // Per-weight error bound: scale/2 for affine, 2^-11 relative for float16.
        const specs = small.modelJson.weightsManifest[0]?.weights ?? [];
        const original = weightValues(model);
        weightValues(loaded).forEach((values, i) => {
          const q = specs[i]?.quantization;
          values.forEach((v, k) => {
            const x = original[i]?.[k] as number;
            const bound = q?.dtype === 'float16' ? Math.abs(x) * 2 ** -11 : (q?.scale ?? 0) / 2 + Math.abs(x) * 2 ** -23;
            expect(Math.abs(v - x)).toBeLessThanOrEqual(bound);
          });
        });
        const tolerance = { uint8: 5e-3, uint16: 5e-5, float16: 5e-4 }[quantize];
        expect(maxAbsDiff(predict(loaded, data.xs), predict(model, data.xs))).toBeLessThan(tolerance);
      });
    });
  }

  it('refuses to replace an existing folder unless told to overwrite', async () => {
    await withTempDir(async (root) => {
      const dir = join(root, 'ckpt');
      const first = buildClassifier({ seed: 1 });
      const second = buildClassifier({ seed: 2 });
      await saveModelToDirectory(first, dir);
      await expect(saveModelToDirectory(second, dir)).rejects.toMatchObject({ code: 'CONFLICT' });
      await saveModelToDirectory(second, dir, { overwrite: true });
      expect(maxWeightDifference(await loadModelFromDirectory(dir), second)).toBe(0);
      expect(await readdir(root)).toEqual(['ckpt']);
    });
  });

  it('refuses a NaN weight for affine quantization and writes nothing', async () => {
    await withTempDir(async (root) => {
      const model = buildClassifier();
      const handler = directorySaveHandler(join(root, 'bad'), { quantize: 'uint8' });
      const [kernel] = model.layers[0]?.getWeights() ?? [];
      model.layers[0]?.setWeights([kernel as tf.Tensor, tf.fill([8], Number.NaN)]);
      await expect(model.save(handler)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await readdir(root)).toEqual([]);
    });
  });

  describe('damaged folders are ARTIFACT_CORRUPT, naming the file', () => {
    async function savedModel(root: string): Promise<string> {
      const dir = join(root, 'm');
      await saveModelToDirectory(buildWiderModel(), dir, { shardBytes: 10_000 });
      return dir;
    }

    it('missing model.json', async () => {
      await withTempDir(async (root) => {
        const dir = await savedModel(root);
        await rm(join(dir, 'model.json'));
        await expect(loadModelFromDirectory(dir)).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          message: expect.stringMatching(/m\/model\.json is missing; expected a TF\.js model\.json at .*; received no such file/),
        });
      });
    });

    it('model.json that is not JSON, or not a model', async () => {
      await withTempDir(async (root) => {
        const dir = await savedModel(root);
        await writeFile(join(dir, 'model.json'), '{"modelTopology": ');
        await expect(readModelJson(dir)).rejects.toMatchObject({ code: 'ARTIFACT_CORRUPT', message: expect.stringMatching(/model\.json is not valid JSON/) });
        await writeFile(join(dir, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['../x.bin'], weights: [] }] }));
        await expect(readModelJson(dir)).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          message: expect.stringMatching(/not a TF\.js model\.json.*weightsManifest\.0\.paths\.0: shard paths must be relative/),
        });
      });
    });

    it('missing shard', async () => {
      await withTempDir(async (root) => {
        const dir = await savedModel(root);
        await rm(join(dir, 'group1-shard2of4.bin'));
        await expect(loadModelFromDirectory(dir)).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          expected: 'shard 2 of 4 listed in model.json',
          received: 'no such file',
          message: expect.stringContaining('group1-shard2of4.bin is missing'),
        });
      });
    });

    it('truncated shard', async () => {
      await withTempDir(async (root) => {
        const dir = await savedModel(root);
        const path = join(dir, 'group1-shard1of4.bin');
        await writeFile(path, (await readFile(path)).subarray(0, 9_000));
        await expect(loadModelFromDirectory(dir)).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          expected: '10000 bytes',
          received: '9000 bytes',
          message: expect.stringContaining('group1-shard1of4.bin has the wrong size'),
        });
      });
    });

    it('bit-flipped shard', async () => {
      await withTempDir(async (root) => {
        const dir = await savedModel(root);
        const path = join(dir, 'group1-shard3of4.bin');
        const bytes = await readFile(path);
        bytes[1234] = (bytes[1234] as number) ^ 0x10;
        await writeFile(path, bytes);
        await expect(loadModelFromDirectory(dir)).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          expected: expect.stringMatching(/^CRC-32C 0x[0-9a-f]{8}$/),
          message: expect.stringContaining('group1-shard3of4.bin is corrupt'),
        });
      });
    });

    it('shards too short for the manifest, when model.json carries no checksums (written by another tool)', async () => {
      await withTempDir(async (root) => {
        const dir = await savedModel(root);
        const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
        delete json.weightsIntegrity;
        await writeFile(join(dir, 'model.json'), JSON.stringify(json));
        const path = join(dir, 'group1-shard4of4.bin');
        await writeFile(path, (await readFile(path)).subarray(4));
        await expect(loadModelFromDirectory(dir)).rejects.toMatchObject({
          code: 'ARTIFACT_CORRUPT',
          message: expect.stringMatching(/group1-shard1of4\.bin, .*group1-shard4of4\.bin do not hold the weights/),
          received: expect.stringMatching(/^\d+ bytes$/),
        });
      });
    });
  });
});
