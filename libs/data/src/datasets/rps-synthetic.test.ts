import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPipelineError } from '@tsfx/shared';
import { makeTempDir } from '@tsfx/shared/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listImageFolder, readImageFolderBatches } from '../ingest/image-folder';
import { createRandom } from '../statistics/random';
import {
  generateRockPaperScissors,
  RPS_CLASS_NAMES,
  RPS_MANIFEST_FILE,
  type RockPaperScissorsOptions,
  type RpsClassName,
  type RpsScene,
  renderRpsImage,
  sampleScene,
  sceneSvg,
} from './rps-synthetic';

let root: string;
beforeAll(async () => {
  root = await makeTempDir();
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Every image file of a generated folder, as `class/name`, in listing order. */
async function imageFiles(dir: string): Promise<string[]> {
  return (await listImageFolder(dir)).files.map((f) => f.relativePath);
}

/** A scene drawn by the generator's own code in white on black, so the hand is a 0/1 mask. */
async function handMask(className: RpsClassName, scene: RpsScene, size: number): Promise<Uint8Array> {
  const masked = { ...scene, skin: [255, 255, 255] as const, background: [[0, 0, 0], [0, 0, 0]] as const };
  const { data } = await sharp(Buffer.from(sceneSvg(className, masked, size))).removeAlpha().greyscale().raw().toBuffer({ resolveWithObject: true });
  return data.map((v) => (v > 100 ? 1 : 0));
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('generateRockPaperScissors', () => {
  it('writes an image folder the image-folder ingest reads: paper, rock, scissors, balanced, size×size RGB', async () => {
    const dir = join(root, 'layout');
    const result = await generateRockPaperScissors({ dir, perClass: 5, size: 64 });
    expect(result).toEqual({ dir, classNames: ['paper', 'rock', 'scissors'], count: 15, reused: false });
    expect((await readdir(dir)).sort()).toEqual(['paper', 'rock', RPS_MANIFEST_FILE, 'scissors']);

    const { classNames, files } = await listImageFolder(dir);
    expect(classNames).toEqual([...RPS_CLASS_NAMES]);
    expect(files.map((f) => f.relativePath).slice(0, 2)).toEqual(['paper/paper-0000.png', 'paper/paper-0001.png']);
    const perLabel = [0, 1, 2].map((label) => files.filter((f) => f.label === label).length);
    expect(perLabel).toEqual([5, 5, 5]);

    for (const file of files) {
      const meta = await sharp(file.path).metadata();
      expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 64, 64, 3]);
    }
    let rows = 0;
    for await (const batch of readImageFolderBatches(dir, { imageSize: [64, 64] })) {
      expect(batch.badRows).toEqual([]);
      rows += batch.batch.length;
    }
    expect(rows).toBe(15);
  });

  it('writes JPEG files when asked', async () => {
    const dir = join(root, 'jpeg');
    await generateRockPaperScissors({ dir, perClass: 2, size: 48, format: 'jpeg' });
    const files = await imageFiles(dir);
    expect(files).toEqual(RPS_CLASS_NAMES.flatMap((c) => [`${c}/${c}-0000.jpg`, `${c}/${c}-0001.jpg`]));
    const { data, info } = await sharp(join(dir, files[0]!)).raw().toBuffer({ resolveWithObject: true });
    expect([info.format, info.width, info.height, info.channels, data.length]).toEqual(['raw', 48, 48, 3, 48 * 48 * 3]);
    expect((await sharp(join(dir, files[0]!)).metadata()).format).toBe('jpeg');
  });

  it('is deterministic per seed, and a smaller perClass gives a prefix of a larger one', async () => {
    const a = join(root, 'seed5-a');
    const b = join(root, 'seed5-b');
    const c = join(root, 'seed6');
    await generateRockPaperScissors({ dir: a, perClass: 3, size: 40, seed: 5 });
    await generateRockPaperScissors({ dir: b, perClass: 6, size: 40, seed: 5 });
    await generateRockPaperScissors({ dir: c, perClass: 3, size: 40, seed: 6 });
    const files = await imageFiles(a);
    expect(files).toHaveLength(9);
    const distinct = new Set<string>();
    for (const file of files) {
      const bytes = await readFile(join(a, file));
      expect(bytes.equals(await readFile(join(b, file)))).toBe(true);
      expect(bytes.equals(await readFile(join(c, file)))).toBe(false);
      distinct.add(bytes.toString('base64'));
    }
    expect(distinct.size).toBe(9);
  });

  it('reuses a folder that holds exactly the expected files and redraws one that does not', async () => {
    const dir = join(root, 'idempotent');
    const options: RockPaperScissorsOptions = { dir, perClass: 2, size: 40, seed: 3 };
    await generateRockPaperScissors(options);
    const first = join(dir, 'rock', 'rock-0001.png');
    const original = await readFile(first);
    const mtime = (await stat(first)).mtimeMs;

    expect((await generateRockPaperScissors(options)).reused).toBe(true);
    expect((await stat(first)).mtimeMs).toBe(mtime);

    // A missing file, a file of another size and a stray file each make the folder stale.
    await rm(join(dir, 'paper', 'paper-0000.png'));
    expect((await generateRockPaperScissors(options)).reused).toBe(false);
    await writeFile(first, original.subarray(0, 100));
    expect((await generateRockPaperScissors(options)).reused).toBe(false);
    expect((await readFile(first)).equals(original)).toBe(true);
    await writeFile(join(dir, 'scissors', 'extra.png'), original);
    expect((await generateRockPaperScissors(options)).reused).toBe(false);
    expect(await imageFiles(dir)).toHaveLength(6);

    // Other options replace the old images rather than adding to them.
    const bigger = await generateRockPaperScissors({ ...options, size: 56, perClass: 1 });
    expect(bigger).toMatchObject({ count: 3, reused: false });
    expect(await imageFiles(dir)).toEqual(['paper/paper-0000.png', 'rock/rock-0000.png', 'scissors/scissors-0000.png']);
    expect((await sharp(join(dir, 'rock', 'rock-0000.png')).metadata()).width).toBe(56);
    expect((await readdir(root)).filter((name) => name.includes('.partial-'))).toEqual([]);
  });

  it('refuses a folder holding files it did not write, and leaves them alone', async () => {
    const dir = join(root, 'foreign');
    await generateRockPaperScissors({ dir, perClass: 1, size: 32 });
    await rm(join(dir, RPS_MANIFEST_FILE));
    const error = await errorOf(generateRockPaperScissors({ dir, perClass: 1, size: 32 }));
    expect(isPipelineError(error) && error.code).toBe('CONFLICT');
    expect((error as Error).message).toMatch(/did not write/);
    expect(await imageFiles(dir)).toHaveLength(3);
  });

  it('rejects bad options, naming what was expected', async () => {
    const dir = join(root, 'bad');
    for (const bad of [
      { dir, perClass: 0 },
      { dir, perClass: 1.5 },
      { dir, perClass: 2, size: 8 },
      { dir, perClass: 2, seed: -1 },
      { dir, perClass: 2, format: 'gif' },
    ]) {
      const error = await errorOf(generateRockPaperScissors(bad as RockPaperScissorsOptions));
      expect(isPipelineError(error) && error.code).toBe('INVALID_INPUT');
      expect((error as Error).message).toMatch(/rock-paper-scissors options/);
    }
  });
});

describe('what the images look like: the real set\'s large hand on white, arm coming in from an edge', () => {
  it('has a near-white background over most of every image', async () => {
    for (const className of RPS_CLASS_NAMES) {
      for (let index = 0; index < 10; index++) {
        const png = await renderRpsImage(className, { seed: 4, index, size: 64, format: 'png' });
        const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
        let white = 0;
        for (let p = 0; p < data.length; p += 3) if (Math.min(data[p]!, data[p + 1]!, data[p + 2]!) >= 200) white++;
        expect(white / (64 * 64)).toBeGreaterThan(0.5);
      }
    }
  });

  it('draws a large hand whose arm leaves by the bottom or a side, mostly the bottom', async () => {
    const size = 64;
    const random = createRandom(7);
    const entries = { bottom: 0, left: 0, right: 0, top: 0 };
    const areas: number[] = [];
    for (let i = 0; i < 60; i++) {
      const className = RPS_CLASS_NAMES[i % 3]!;
      const mask = await handMask(className, sampleScene(random, size, className), size);
      areas.push(mask.reduce((a, b) => a + b, 0) / (size * size));
      // Hand pixels along each border: the arm crossing one makes the longest run.
      const border = { bottom: 0, left: 0, right: 0, top: 0 };
      for (let k = 0; k < size; k++) {
        border.top += mask[k]!;
        border.bottom += mask[(size - 1) * size + k]!;
        border.left += mask[k * size]!;
        border.right += mask[k * size + size - 1]!;
      }
      const [edge, run] = Object.entries(border).sort((a, b) => b[1] - a[1])[0]! as [keyof typeof border, number];
      expect(run).toBeGreaterThan(size * 0.15); // a forearm's width, not a fingertip
      entries[edge]++;
    }
    expect(entries.top).toBe(0);
    expect(entries.bottom).toBeGreaterThan(entries.left + entries.right);
    expect(Math.min(entries.left, entries.right)).toBeGreaterThan(0);
    // Hand and arm cover a fifth to two fifths of the frame (a quarter to a third here): large, as in the real set.
    expect(Math.min(...areas)).toBeGreaterThan(0.2);
    expect(Math.max(...areas)).toBeLessThan(0.4);
  });
});

describe('what tells the classes apart', () => {
  it('is not the mean colour: classes share one mean-RGB distribution, nearest centroid is near chance', async () => {
    // Small images, many of them: geometry scales with the size, so the colour mix is the same.
    const dir = join(root, 'colour');
    await generateRockPaperScissors({ dir, perClass: 150, size: 32, seed: 1 });
    const { files } = await listImageFolder(dir);
    const samples = await Promise.all(
      files.map(async (file) => {
        const { data } = await sharp(file.path).raw().toBuffer({ resolveWithObject: true });
        const sum = [0, 0, 0];
        for (let i = 0; i < data.length; i++) sum[i % 3]! += data[i]!;
        return { rgb: sum.map((v) => v / (data.length / 3)), label: file.label };
      }),
    );
    const ofClass = [0, 1, 2].map((label) => samples.filter((s) => s.label === label));
    const classSums = ofClass.map((members) => [0, 1, 2].map((ch) => members.reduce((sum, s) => sum + s.rgb[ch]!, 0)));

    // Each class mean lies within a small fraction of a within-class standard deviation of the
    // overall mean, on every channel. (Without the per-class size factors that even out the
    // silhouettes' areas, paper's larger silhouette scores about 0.9.)
    let largestOffset = 0;
    for (let ch = 0; ch < 3; ch++) {
      const means = classSums.map((sums, label) => sums[ch]! / ofClass[label]!.length);
      const within = Math.sqrt(samples.reduce((sum, s) => sum + (s.rgb[ch]! - means[s.label]!) ** 2, 0) / (samples.length - 3));
      expect(within).toBeGreaterThan(10); // mean colours do vary, with the skin tone: no blank images
      const overall = samples.reduce((sum, s) => sum + s.rgb[ch]!, 0) / samples.length;
      for (const mean of means) largestOffset = Math.max(largestOffset, Math.abs(mean - overall) / within);
    }
    expect(largestOffset).toBeLessThan(0.3);

    // Leave-one-out nearest centroid on mean RGB: chance is 1/3.
    let correct = 0;
    for (const sample of samples) {
      const distances = classSums.map((sums, label) => {
        const n = ofClass[label]!.length - (label === sample.label ? 1 : 0);
        const centroid = sums.map((sum, ch) => (sum - (label === sample.label ? sample.rgb[ch]! : 0)) / n);
        return Math.hypot(...centroid.map((v, ch) => v - sample.rgb[ch]!));
      });
      if (distances.indexOf(Math.min(...distances)) === sample.label) correct++;
    }
    expect(correct / samples.length).toBeLessThan(0.45);
  });

  it('is the silhouette: equal areas, but a fist is compact and an open palm is not', async () => {
    const size = 96;
    const measure = async (className: RpsClassName) => {
      const random = createRandom(11);
      const areas: number[] = [];
      const compactness: number[] = [];
      for (let i = 0; i < 40; i++) {
        const mask = await handMask(className, sampleScene(random, size, className), size);
        const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < size && y < size && mask[y * size + x] === 1;
        let area = 0;
        let edge = 0;
        for (let y = 0; y < size; y++) {
          for (let x = 0; x < size; x++) {
            if (!inside(x, y)) continue;
            area++;
            if (!inside(x - 1, y) || !inside(x + 1, y) || !inside(x, y - 1) || !inside(x, y + 1)) edge++;
          }
        }
        areas.push(area);
        compactness.push((edge * edge) / area); // perimeter² / area: low for a blob, high with fingers
      }
      compactness.sort((a, b) => a - b);
      return { meanArea: areas.reduce((a, b) => a + b) / areas.length, median: compactness[20]! };
    };
    const [paper, rock, scissors] = await Promise.all(RPS_CLASS_NAMES.map(measure));
    const areas = [paper!.meanArea, rock!.meanArea, scissors!.meanArea];
    expect(Math.max(...areas) / Math.min(...areas)).toBeLessThan(1.1);
    expect(rock!.median * 1.4).toBeLessThan(scissors!.median);
    expect(scissors!.median * 1.05).toBeLessThan(paper!.median);
  });
});
