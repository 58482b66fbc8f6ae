import { readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseTransformGraph, type TRawRow } from '@tsfx/data';
import {
  type LoadedServable,
  type TBackendSelection,
  type TModelJson,
  type WrittenModelDirectory,
  SERVABLE_LAYOUT,
  readServable,
  readVersionNumbers,
  saveModelToDirectory,
  selectBackend,
} from '@tsfx/ml';
import { makeTempDir } from '@tsfx/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tsfxJson } from '../integration/cli-support';
import { bundleForBrowser, type TBundle } from './support/bundle';
import { launchChromium, type TLaunchedChromium } from './support/chromium';
import { type TPagePredictions, type TRowPredictions, predictRows } from './support/servable-client';
import { serveFolder, type TStaticServer } from './support/static-server';

const CLIENT_ENTRY = resolve(import.meta.dirname, 'support/servable-client.ts');
const PENGUINS_JSON = join(REPO_ROOT, 'node_modules/vega-datasets/data/penguins.json');
const LABEL_KEY = 'Species';
/** Float32 arithmetic in two runtimes (and possibly two backends) may differ in the last bits, no more. */
const PARITY_TOLERANCE = 1e-5;
/** uint8 weights carry ~1/255 of each tensor's range as error; the probabilities may move this much. */
const QUANTIZED_TOLERANCE = 0.05;

type TPenguin = Record<string, number | string | null>;
type TPageApi = { tsfxServable: { predictInPage(versionUrl: string, modelJsonUrl: string, rows: TRawRow[]): Promise<TPagePredictions> } };

/**
 * Serving rows as a client sends them (the label left out): the first two complete penguins of
 * each species, plus the first rows with a missing sex and a missing measurement, which the
 * transform fills with its defaults.
 */
function pickServingRows(penguins: TPenguin[]): { rows: TRawRow[]; species: (string | null)[]; complete: boolean[] } {
  const isComplete = (p: TPenguin) => Object.values(p).every((value) => value !== null);
  const picked: TPenguin[] = [];
  for (const species of ['Adelie', 'Chinstrap', 'Gentoo']) {
    picked.push(...penguins.filter((p) => p[LABEL_KEY] === species && isComplete(p)).slice(0, 2));
  }
  const missingSex = penguins.find((p) => p['Sex'] === null && p['Beak Length (mm)'] !== null);
  const missingMeasurement = penguins.find((p) => p['Beak Length (mm)'] === null);
  if (picked.length !== 6 || !missingSex || !missingMeasurement) throw new Error(`penguins.json has not the rows this test expects (${penguins.length} rows)`);
  picked.push(missingSex, missingMeasurement);
  return {
    rows: picked.map(({ [LABEL_KEY]: _label, ...features }) => features),
    species: picked.map((p) => p[LABEL_KEY] as string | null),
    complete: picked.map(isComplete),
  };
}

function maxAbsDifference(a: number[][], b: number[][]): number {
  expect(a.map((row) => row.length)).toEqual(b.map((row) => row.length));
  return Math.max(...a.flatMap((row, i) => row.map((value, k) => Math.abs(value - (b[i]?.[k] ?? Number.NaN)))));
}

describe('an exported servable in a browser', () => {
  let home: string;
  let site: string;
  let versionDir: string;
  let servable: LoadedServable;
  let quantized: WrittenModelDirectory;
  let bundle: TBundle;
  let server: TStaticServer;
  let browser: TLaunchedChromium;
  let nodeBackend: TBackendSelection;
  let nodePredictions: TRowPredictions;
  let floatInPage: TPagePredictions;
  let serving: ReturnType<typeof pickServingRows>;

  const predictInPage = (versionPath: string, modelPath: string) =>
    browser.page.evaluate(
      ([versionUrl, modelJsonUrl, rows]) => (globalThis as unknown as TPageApi).tsfxServable.predictInPage(versionUrl, modelJsonUrl, rows),
      [`${server.url}/${versionPath}`, `${server.url}/${modelPath}`, serving.rows] as const,
    );

  beforeAll(async () => {
    serving = pickServingRows(JSON.parse(await readFile(PENGUINS_JSON, 'utf8')) as TPenguin[]);
    home = await makeTempDir();
    site = await makeTempDir();
    // The export as a user makes it: the real CLI, in its own process, with a fresh home.
    const [run, builtBundle] = await Promise.all([
      tsfxJson<{ runId: string; state: string }>(['run', 'penguins'], { TSFX_HOME: home }),
      bundleForBrowser({ entryPoint: CLIENT_ENTRY, globalName: 'tsfxServable' }),
    ]);
    bundle = builtBundle;
    expect(run.state, `tsfx run penguins: ${JSON.stringify(run)}`).toBe('COMPLETE');
    versionDir = join(home, 'models', 'penguins', '1');
    // As the pipeline's stages do: the fastest installed backend (wasm here), initialized before any model loads.
    nodeBackend = await selectBackend();
    servable = await readServable(versionDir);
    nodePredictions = await predictRows(servable.model, servable.signature, parseTransformGraph(servable.transformGraphText), serving.rows);

    // The site serves the version folder itself (a link: the exported bytes, untouched) and a
    // uint8-quantized copy of its model next to it, from one origin so the page may fetch both.
    quantized = await saveModelToDirectory(servable.model, join(site, 'penguins-uint8', 'model'), { quantize: 'uint8' });
    await symlink(join(home, 'models', 'penguins'), join(site, 'penguins'));
    await Promise.all([
      writeFile(join(site, 'servable-client.js'), bundle.code),
      writeFile(
        join(site, 'index.html'),
        // An empty icon, so the page makes no request that could 404.
        '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>servable client</title><script src="servable-client.js"></script>\n',
      ),
    ]);
    server = await serveFolder(site);
    browser = await launchChromium();
    await browser.page.goto(`${server.url}/index.html`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    servable?.model.dispose();
    await Promise.all([site && rm(site, { recursive: true, force: true }), home && rm(home, { recursive: true, force: true })]);
  });

  it('bundles the client (transform, custom layers, feed) from tsfx sources that use nothing Node-only', async () => {
    const tsfxInputs = bundle.inputs.filter((input) => /^(\.\.\/)*libs\//.test(input));
    for (const file of ['custom-layers/indicator-encoding.ts', 'custom-layers/masked-sequence-mean.ts', 'training/feed.ts', 'transform/apply-transform.ts']) {
      expect(tsfxInputs.some((input) => input.endsWith(file)), file).toBe(true);
    }
    for (const input of tsfxInputs) {
      // Comments may talk about Node; only code counts.
      const source = (await readFile(resolve(input), 'utf8')).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(source, input).not.toMatch(/from ['"](node:|fs|path|os|crypto|buffer|process|url|util|stream|module)['"/]/);
      expect(source, input).not.toMatch(/\bBuffer\b|\bprocess\.|\brequire\(|__dirname/);
    }
    // What a package's `browser` field stubs out: tfjs-core's Node platform (node-fetch, util) and
    // seedrandom's crypto, none of which tfjs touches in a page.
    const stubbed = bundle.inputs.filter((input) => input.startsWith('node:') || input.startsWith('(disabled)'));
    expect(stubbed.map((input) => input.replace(/^\(disabled\):(\.\.\/)*/, '')).sort()).toEqual(['crypto', 'node_modules/node-fetch/browser.js', 'util']);
  });

  it('writes a TF Serving version folder with a TF.js Layers model, its transform graph and signature', async () => {
    expect(await readVersionNumbers(join(home, 'models', 'penguins'))).toEqual([1]);
    const modelFiles = await readdir(join(versionDir, SERVABLE_LAYOUT.modelDir));
    const modelJson = JSON.parse(await readFile(join(versionDir, SERVABLE_LAYOUT.modelDir, 'model.json'), 'utf8')) as TModelJson;
    expect(modelJson.format).toBe('layers-model');
    const shards = modelJson.weightsManifest.flatMap((group) => group.paths);
    expect(shards.length).toBeGreaterThan(0);
    expect(modelFiles.sort()).toEqual(['model.json', ...shards].sort());
    expect(servable.signature).toMatchObject({ modelName: 'penguins', version: 1, task: 'classification', quantization: 'none' });
    expect(servable.signature.classLabels).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(servable.signature.inputs.raw.map((input) => input.name)).toContain('Island');
    expect(servable.files[SERVABLE_LAYOUT.transformGraph]).toBe(servable.transformGraphText);
  });

  it('loads in Chromium with tf.loadLayersModel and predicts what Node predicts', async () => {
    floatInPage = await predictInPage('penguins/1', `penguins/1/${SERVABLE_LAYOUT.modelDir}/model.json`);
    expect(browser.consoleLines.filter((line) => line.startsWith('[pageerror]') || line.startsWith('[error]'))).toEqual([]);
    expect(floatInPage.backend).toBe('cpu');
    // The penguins model one-hot encodes the mass bucket with a tsfx custom layer: it loaded by name.
    expect(floatInPage.layerClassNames).toContain('IndicatorEncoding');
    expect(floatInPage.registeredCustomLayers).toEqual(expect.arrayContaining(['IndicatorEncoding', 'MaskedSequenceMean']));

    expect(floatInPage.probabilities).toHaveLength(serving.rows.length);
    expect(maxAbsDifference(floatInPage.probabilities, nodePredictions.probabilities)).toBeLessThanOrEqual(PARITY_TOLERANCE);
    for (const row of floatInPage.probabilities) expect(row.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
    expect(floatInPage.labels).toEqual(nodePredictions.labels);
    // The most probable class, named through signature.classLabels, is the penguin's species.
    serving.complete.forEach((complete, i) => {
      if (complete) expect(floatInPage.labels[i], `row ${i}`).toBe(serving.species[i]);
    });
    console.info(
      `browser (cpu) vs Node (${nodeBackend.backend}): max |Δp| ${maxAbsDifference(floatInPage.probabilities, nodePredictions.probabilities).toExponential(2)}; ` +
        `page load ${floatInPage.loadMs.toFixed(0)} ms, predict ${floatInPage.predictMs.toFixed(1)} ms; bundle ${(bundle.code.length / 1024).toFixed(0)} KiB`,
    );
  });

  it('loads a uint8-quantized copy in the browser, with predictions close to the float ones', async () => {
    const quantizedWeights = quantized.modelJson.weightsManifest.flatMap((group) => group.weights);
    expect(quantizedWeights.length).toBeGreaterThan(0);
    expect(quantizedWeights.every((weight) => weight.dtype !== 'float32' || weight.quantization?.dtype === 'uint8')).toBe(true);
    const floatModelDir = join(versionDir, SERVABLE_LAYOUT.modelDir);
    const floatModelJson = JSON.parse(await readFile(join(floatModelDir, 'model.json'), 'utf8')) as TModelJson;
    const floatShards = floatModelJson.weightsManifest.flatMap((group) => group.paths);
    const floatShardBytes = (await Promise.all(floatShards.map(async (shard) => (await stat(join(floatModelDir, shard))).size))).reduce((a, b) => a + b, 0);
    expect(quantized.weightBytes).toBeLessThan(floatShardBytes / 3);

    floatInPage ??= await predictInPage('penguins/1', `penguins/1/${SERVABLE_LAYOUT.modelDir}/model.json`);
    const uint8InPage = await predictInPage('penguins/1', 'penguins-uint8/model/model.json');
    expect(browser.consoleLines.filter((line) => line.startsWith('[pageerror]') || line.startsWith('[error]'))).toEqual([]);
    const drift = maxAbsDifference(uint8InPage.probabilities, floatInPage.probabilities);
    expect(drift).toBeGreaterThan(0);
    expect(drift).toBeLessThanOrEqual(QUANTIZED_TOLERANCE);
    expect(uint8InPage.labels).toEqual(floatInPage.labels);
    console.info(`uint8 copy: weights ${quantized.weightBytes} B vs ${floatShardBytes} B float32; max |Δp| vs float ${drift.toExponential(2)}`);
  });
});
