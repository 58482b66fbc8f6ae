import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseOrThrow, PipelineError } from '@tsfx/shared';
import sharp from 'sharp';
import { z } from 'zod';
import { createRandom } from '../statistics/random';

/**
 * A procedurally drawn rock-paper-scissors image folder, so the RPS CNN of the talk trains and is
 * tested without downloading the real dataset. Like the real set (rendered hands on white), each
 * image is one large hand (closed fist, open palm, fist with a V of two fingers) on a near-white
 * background, its arm coming in from the bottom or a side. Skin tone, pose and background come
 * from distributions shared by all classes: only the shape tells the classes apart, never the
 * mean colour.
 *
 * The talk's CNN (no batch norm, RMSprop 1e-3, batch 32, no augmentation) learns it: trained on
 * 100 images a class, it scores 89–98% on 50 held-out images a class after 10 epochs, at 96 and at
 * 150 pixels (PyTorch replica, three seeds). Small hands pointing any way over busy backgrounds
 * (version 1) left it at chance.
 *
 * Images are SVG strings rasterised by sharp (librsvg): 2–4 ms an image at 150×150, against
 * 12 ms for drawing the same antialiased shapes pixel by pixel in JavaScript.
 */

/** Class folder names in label order: the image-folder ingest sorts folders by code point. */
export const RPS_CLASS_NAMES = ['paper', 'rock', 'scissors'] as const;
export type RpsClassName = (typeof RPS_CLASS_NAMES)[number];

/** Written last into a finished folder; a folder whose manifest matches the options is reused. */
export const RPS_MANIFEST_FILE = 'rps-synthetic.json';

/** Bump when the drawing changes, so folders drawn by an older generator are redrawn. */
const GENERATOR_VERSION = 2;

/** Images rasterised at once: sharp works on its own threads, so this keeps them all busy. */
const CONCURRENCY = 4;

export const ZRockPaperScissorsOptions = z.object({
  /** The folder to write; created if missing. */
  dir: z.string().min(1),
  /** Images per class. */
  perClass: z.number().int().min(1).max(100_000),
  /** Width and height of every image, in pixels. */
  size: z.number().int().min(32).max(2048).default(150),
  /** Same seed, same images (byte for byte as PNG). */
  seed: z.number().int().min(0).max(0xffff_ffff).default(1),
  format: z.enum(['png', 'jpeg']).default('png'),
});
export type RockPaperScissorsOptions = z.input<typeof ZRockPaperScissorsOptions>;

export type RockPaperScissorsDataset = {
  /** Absolute path of the image folder: `paper/`, `rock/`, `scissors/`. */
  dir: string;
  classNames: RpsClassName[];
  /** Images in all classes. */
  count: number;
  /** True when the folder already held exactly these images and nothing was drawn. */
  reused: boolean;
};

const ZManifest = z.object({
  generator: z.literal('tsfx/rps-synthetic'),
  version: z.number().int(),
  perClass: z.number().int(),
  size: z.number().int(),
  seed: z.number().int(),
  format: z.enum(['png', 'jpeg']),
  count: z.number().int(),
  /** Sum of the image files' sizes: a truncated or replaced file shows up as a mismatch. */
  totalBytes: z.number().int(),
});
type Manifest = z.infer<typeof ZManifest>;

/**
 * Writes `perClass` images of each class into `dir/paper`, `dir/rock` and `dir/scissors`
 * (`rock/rock-0000.png`, …), RGB, `size`×`size`. Image `i` of a class depends only on the seed, the
 * class and `i`, so a smaller `perClass` yields a prefix of a larger one.
 *
 * Idempotent: when `dir` already holds exactly these files (its manifest matches the options and
 * the files are all there, with the recorded total size) it returns at once. Otherwise the images
 * are drawn into a sibling temporary folder that then replaces `dir`, so an interrupted run never
 * leaves a half-written dataset behind.
 *
 * @throws PipelineError `INVALID_INPUT` for bad options; `CONFLICT` when `dir` holds files that
 *   this generator did not write (they are left untouched).
 */
export async function generateRockPaperScissors(options: RockPaperScissorsOptions): Promise<RockPaperScissorsDataset> {
  const { dir: given, perClass, size, seed, format } = parseOrThrow(ZRockPaperScissorsOptions, options, 'rock-paper-scissors options');
  const dir = resolve(given);
  const expected: Omit<Manifest, 'totalBytes'> = {
    generator: 'tsfx/rps-synthetic',
    version: GENERATOR_VERSION,
    perClass,
    size,
    seed,
    format,
    count: perClass * RPS_CLASS_NAMES.length,
  };
  const result = { dir, classNames: [...RPS_CLASS_NAMES], count: expected.count };

  const existing = await inspectFolder(dir);
  if (existing.kind === 'foreign') {
    throw new PipelineError('CONFLICT', `${dir} holds files that generateRockPaperScissors did not write; choose a new or empty folder`, {
      expected: `a missing or empty folder, or one with ${RPS_MANIFEST_FILE}`,
      received: existing.entries.slice(0, 5).join(', '),
    });
  }
  if (existing.kind === 'generated' && (await holdsExactly(dir, existing.manifest, expected))) return { ...result, reused: true };

  await mkdir(dirname(dir), { recursive: true });
  const partial = await mkdtemp(join(dirname(dir), `.${basename(dir)}.partial-`));
  try {
    let totalBytes = 0;
    for (const className of RPS_CLASS_NAMES) await mkdir(join(partial, className));
    await forEachConcurrently(expected.count, CONCURRENCY, async (k) => {
      const classIndex = Math.floor(k / perClass);
      const className = RPS_CLASS_NAMES[classIndex]!;
      const index = k % perClass;
      const bytes = await renderRpsImage(className, { seed, index, size, format });
      totalBytes += bytes.length;
      await writeFile(join(partial, className, imageFileName(className, index, format)), bytes);
    });
    const manifest: Manifest = { ...expected, totalBytes };
    await writeFile(join(partial, RPS_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  return { ...result, reused: false };
}

function imageFileName(className: RpsClassName, index: number, format: 'png' | 'jpeg'): string {
  return `${className}-${String(index).padStart(4, '0')}.${format === 'png' ? 'png' : 'jpg'}`;
}

type FolderState = { kind: 'absent' } | { kind: 'generated'; manifest: unknown } | { kind: 'foreign'; entries: string[] };

/** Whether `dir` may be (re)written: missing, empty, or carrying this generator's manifest. */
async function inspectFolder(dir: string): Promise<FolderState> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw new PipelineError('INVALID_INPUT', `cannot read ${dir} as the rock-paper-scissors folder`, {
      expected: 'a folder path (or a path that does not exist yet)',
      received: (error as Error).message,
      cause: error,
    });
  }
  if (entries.length === 0) return { kind: 'absent' };
  if (!entries.includes(RPS_MANIFEST_FILE)) return { kind: 'foreign', entries };
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(join(dir, RPS_MANIFEST_FILE), 'utf8'));
  } catch {
    manifest = undefined; // ours but unreadable: redraw
  }
  return { kind: 'generated', manifest };
}

/** True when the manifest matches the options and the class folders hold exactly the expected files. */
async function holdsExactly(dir: string, manifest: unknown, expected: Omit<Manifest, 'totalBytes'>): Promise<boolean> {
  const parsed = ZManifest.safeParse(manifest);
  if (!parsed.success) return false;
  const keys = Object.keys(expected) as (keyof typeof expected)[];
  if (keys.some((key) => parsed.data[key] !== expected[key])) return false;
  let bytes = 0;
  for (const className of RPS_CLASS_NAMES) {
    let names: string[];
    try {
      names = (await readdir(join(dir, className))).sort();
    } catch {
      return false;
    }
    const wanted = Array.from({ length: expected.perClass }, (_, i) => imageFileName(className, i, expected.format)).sort();
    if (names.length !== wanted.length || names.some((name, i) => name !== wanted[i])) return false;
    for (const name of names) bytes += (await stat(join(dir, className, name))).size;
  }
  return bytes === parsed.data.totalBytes;
}

/** Runs `work(0)`…`work(count - 1)`, `concurrency` at a time; after a failure no new work starts,
 * and the first error is thrown once the work in flight has settled (so nothing still writes). */
async function forEachConcurrently(count: number, concurrency: number, work: (k: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      try {
        await work(next++);
      } catch (error) {
        next = count;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(concurrency, count) }, worker));
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw failure.reason;
}

// ---------------------------------------------------------------------------------------------
// Drawing. A hand lives in unit coordinates: palm centred on the origin, fingers pointing to -y,
// the forearm leaving towards +y. A scene places it (scale, rotation, mirror, offset) on a size×size
// canvas over a near-white background.

type Rgb = readonly [number, number, number];

/** A segment with round ends: fingers, thumb, forearm. */
type Capsule = { kind: 'capsule'; ax: number; ay: number; bx: number; by: number; r: number };
type Circle = { kind: 'circle'; cx: number; cy: number; r: number };
type RoundRect = { kind: 'rect'; x: number; y: number; w: number; h: number; rx: number };
type Part = Capsule | Circle | RoundRect;

/** A hand: the parts whose union is the silhouette, parts drawn again with their own outline on
 * top (a thumb folded across the fist), and crease polylines (finger gaps, knuckle lines). */
export type HandDrawing = { silhouette: Part[]; overlays: Part[]; creases: number[][] };

/** Everything random about one image except its class. */
export type RpsScene = {
  skin: Rgb;
  /** Background at the centre and in the corners: near-white, slightly tinted, a faint vignette. */
  background: readonly [Rgb, Rgb];
  /** Where the light comes from, radians in hand coordinates: that side of the hand is brighter. */
  lightAngle: number;
  /** Centre of the palm, pixels. */
  cx: number;
  cy: number;
  /** Pixels per hand unit. */
  scale: number;
  /** Degrees clockwise from fingers-up: within 30° of the normal of the edge the arm enters by. */
  rotation: number;
  /** A left hand rather than a right one. */
  mirror: boolean;
  /** Hand units; always long enough for the arm to leave the frame. */
  forearmLength: number;
  /** Per-finger multipliers on angle jitter (degrees) and length, shared draw for every class. */
  fingerJitter: { angle: number; length: number }[];
  /** Amplitude of the per-pixel noise, in 0–255 levels. */
  noise: number;
};

/** Skin tones from light to dark; every class draws from the same list. */
const SKIN_PALETTE: readonly Rgb[] = [
  [246, 213, 193],
  [234, 192, 160],
  [224, 172, 105],
  [198, 134, 66],
  [161, 102, 94],
  [141, 85, 36],
  [107, 66, 38],
  [74, 44, 29],
];

/**
 * Per-class size factors that give the three silhouettes (hand and the forearm in view) the same
 * mean area, so the share of skin-coloured pixels, and with it the mean colour, carries no label.
 * Measured with the silhouette-area test in rps-synthetic.test.ts.
 */
const CLASS_SCALE: Record<RpsClassName, number> = { paper: 0.865, rock: 1.18, scissors: 0.985 };

/** A finger sticking out of the top of the palm: where it starts, its lean (degrees, + = towards
 * the little finger), length and radius. */
type FingerSpec = { x: number; angle: number; length: number; r: number };

const PALM: RoundRect = { kind: 'rect', x: -0.42, y: -0.4, w: 0.84, h: 0.8, rx: 0.2 };
const FINGER_BASE_Y = -0.3;
const KNUCKLE_X = [-0.3, -0.1, 0.1, 0.3] as const;
const OPEN_FINGERS: readonly FingerSpec[] = [
  { x: -0.3, angle: -15, length: 0.8, r: 0.092 },
  { x: -0.1, angle: -4, length: 0.88, r: 0.096 },
  { x: 0.1, angle: 7, length: 0.82, r: 0.092 },
  { x: 0.3, angle: 20, length: 0.64, r: 0.082 },
];
const OPEN_THUMB: FingerSpec = { x: -0.36, angle: -60, length: 0.62, r: 0.1 };
const V_FINGERS: readonly FingerSpec[] = [
  { x: -0.3, angle: -22, length: 0.82, r: 0.092 },
  { x: -0.1, angle: 13, length: 0.88, r: 0.096 },
];
/** A thumb folded across the front of a fist. */
const FOLDED_THUMB: Capsule = { kind: 'capsule', ax: -0.47, ay: 0.22, bx: 0.02, by: -0.02, r: 0.11 };

function finger(spec: FingerSpec, jitter: { angle: number; length: number } | undefined, baseY = FINGER_BASE_Y): Capsule {
  const angle = ((spec.angle + (jitter?.angle ?? 0)) * Math.PI) / 180;
  const length = spec.length * (jitter?.length ?? 1);
  return { kind: 'capsule', ax: spec.x, ay: baseY, bx: spec.x + length * Math.sin(angle), by: baseY - length * Math.cos(angle), r: spec.r };
}

function forearm(length: number): Capsule {
  return { kind: 'capsule', ax: 0, ay: 0.3, bx: 0, by: 0.3 + length, r: 0.31 };
}

/** Knuckle bumps on top of the fist for the fingers curled into it, with the gaps between them. */
function curledFingers(knuckles: readonly number[]): { bumps: Circle[]; creases: number[][] } {
  const bumps = knuckles.map((x): Circle => ({ kind: 'circle', cx: x, cy: PALM.y, r: 0.12 }));
  const creases = knuckles.slice(1).map((x) => [x - 0.1, PALM.y - 0.02, x - 0.1, -0.12]);
  const left = knuckles[0]! - 0.12;
  const right = knuckles[knuckles.length - 1]! + 0.12;
  creases.push([left, -0.1, (left + right) / 2, -0.06, right, -0.1]);
  return { bumps, creases };
}

/** The hand of one class in unit coordinates. */
export function drawHand(className: RpsClassName, scene: Pick<RpsScene, 'forearmLength' | 'fingerJitter'>): HandDrawing {
  const jitter = scene.fingerJitter;
  const arm = forearm(scene.forearmLength);
  switch (className) {
    case 'rock': {
      const { bumps, creases } = curledFingers(KNUCKLE_X);
      return { silhouette: [arm, PALM, ...bumps, FOLDED_THUMB], overlays: [FOLDED_THUMB], creases };
    }
    case 'paper': {
      const fingers = OPEN_FINGERS.map((spec, i) => finger(spec, jitter[i]));
      const thumb = finger(OPEN_THUMB, jitter[4], 0.12);
      return { silhouette: [arm, PALM, ...fingers, thumb], overlays: [], creases: [[-0.3, 0.05, -0.05, 0.12, 0.25, 0.02]] };
    }
    case 'scissors': {
      const fingers = V_FINGERS.map((spec, i) => finger(spec, jitter[i]));
      const { bumps, creases } = curledFingers(KNUCKLE_X.slice(2));
      return { silhouette: [arm, PALM, ...fingers, ...bumps, FOLDED_THUMB], overlays: [FOLDED_THUMB], creases };
    }
  }
}

/**
 * Edges the arm may enter by: the hand's rotation when it points straight in (degrees clockwise
 * from fingers-up), the tilts away from that it may take, and how often. Mostly from below; from
 * a side the hand points in and up, never down, so the hands' directions form one fan from -60°
 * to 60° rather than three separate clusters (which the talk's CNN, without batch norm, needed
 * more than ten epochs of 300 images to sort out).
 */
const ENTRY_EDGES = [
  { name: 'bottom', rotation: 0, tilt: [-30, 30], weight: 0.6 },
  { name: 'left', rotation: 90, tilt: [-30, 0], weight: 0.2 },
  { name: 'right', rotation: -90, tilt: [0, 30], weight: 0.2 },
] as const;

/**
 * The random part of one image, from distributions shared by all classes; only the hand's size
 * factor depends on the class, to even out the silhouettes' areas. Modelled on the real RPS set:
 * a large hand on a plain near-white background, the arm coming in from an edge.
 */
export function sampleScene(random: () => number, size: number, className: RpsClassName): RpsScene {
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * random();
  const base = SKIN_PALETTE[Math.floor(random() * SKIN_PALETTE.length)]!;
  const skin = mapRgb(base, (v) => clampByte(v + uniform(-12, 12)));
  const white = uniform(238, 255);
  const centre = mapRgb([white, white, white], (v) => clampByte(v + uniform(-6, 6)));
  const vignette = uniform(0, 22);
  const corner = mapRgb(centre, (v) => clampByte(v - vignette));

  let pick = random();
  const edge = ENTRY_EDGES.find((e) => (pick -= e.weight) < 0) ?? ENTRY_EDGES[0];
  const tilt = uniform(edge.tilt[0], edge.tilt[1]);
  const rotation = edge.rotation + tilt;
  // The palm's centre, in a frame where the arm enters from the bottom: `along` the edge, `depth`
  // in from it; then turned to the chosen edge. A third of the way in with these sizes, the wrist
  // sits near the edge and an open hand reaches two thirds to four fifths across, as in the real
  // set. Position and size vary little: letting the palm wander over the middle 28% of the frame
  // and the size over ±10% cost the talk's CNN 10–15 points of accuracy after 10 epochs.
  const along = size * uniform(0.42, 0.58);
  const depth = size * uniform(0.28, 0.36);
  const [cx, cy] = turnToEdge(along, size - depth, size, edge.rotation);
  const scale = size * uniform(0.41, 0.47) * CLASS_SCALE[className];
  // Palm centre to the entry edge along the arm, in hand units; the forearm (from the wrist, 0.3
  // below the centre) runs 0.6 past it, so its rounded end never shows.
  const toEdge = depth / Math.cos((tilt * Math.PI) / 180) / scale;
  return {
    skin,
    background: [centre, corner],
    lightAngle: uniform(0, 2 * Math.PI),
    cx,
    cy,
    scale,
    rotation,
    mirror: random() < 0.5,
    forearmLength: toEdge + 0.3,
    fingerJitter: Array.from({ length: 5 }, () => ({ angle: uniform(-7, 7), length: uniform(0.9, 1.08) })),
    noise: uniform(0, 4),
  };
}

/** A point given for an arm entering from the bottom, moved to where it lies for an arm entering
 * by the edge whose hand rotation is `rotation` (a multiple of 90°): the canvas turned about its centre. */
function turnToEdge(x: number, y: number, size: number, rotation: number): [number, number] {
  const angle = (rotation * Math.PI) / 180;
  const [dx, dy] = [x - size / 2, y - size / 2];
  const cos = Math.round(Math.cos(angle));
  const sin = Math.round(Math.sin(angle));
  return [size / 2 + dx * cos - dy * sin, size / 2 + dx * sin + dy * cos];
}

function mapRgb(rgb: Rgb, f: (v: number) => number): Rgb {
  return [f(rgb[0]), f(rgb[1]), f(rgb[2])];
}

function clampByte(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}

const css = ([r, g, b]: Rgb) => `rgb(${r},${g},${b})`;
const shade = (rgb: Rgb, factor: number): Rgb => mapRgb(rgb, (v) => clampByte(v * factor));
const num = (v: number) => (Math.round(v * 1000) / 1000).toString();

/** One part as SVG; `grow` widens it by an outline's width on every side. */
function partSvg(part: Part, fill: string, grow: number): string {
  switch (part.kind) {
    case 'capsule':
      return `<line x1="${num(part.ax)}" y1="${num(part.ay)}" x2="${num(part.bx)}" y2="${num(part.by)}" stroke="${fill}" stroke-width="${num(2 * (part.r + grow))}" stroke-linecap="round"/>`;
    case 'circle':
      return `<circle cx="${num(part.cx)}" cy="${num(part.cy)}" r="${num(part.r + grow)}" fill="${fill}"/>`;
    case 'rect':
      return `<rect x="${num(part.x - grow)}" y="${num(part.y - grow)}" width="${num(part.w + 2 * grow)}" height="${num(part.h + 2 * grow)}" rx="${num(part.rx + grow)}" fill="${fill}"/>`;
  }
}

/** Outline width in hand units (about 1.3 px at the default size). */
const OUTLINE = 0.055;

/**
 * The SVG of one image: background with its vignette, then the hand's silhouette drawn twice
 * (grown in a darker tone, then in the skin tone) so that only the union's edge is outlined, then
 * overlays and creases. The skin is lit from one side, a hint of the real set's rendered hands.
 */
export function sceneSvg(className: RpsClassName, scene: RpsScene, size: number): string {
  const hand = drawHand(className, scene);
  const outline = css(shade(scene.skin, 0.55));
  // The light's gradient spans the hand in its own units (userSpaceOnUse inside the hand's
  // transform), so every part shares one gradient and no seams show where parts overlap.
  const lx = 1.3 * Math.cos(scene.lightAngle);
  const ly = 1.3 * Math.sin(scene.lightAngle);
  const transform = `translate(${num(scene.cx)} ${num(scene.cy)}) rotate(${num(scene.rotation)}) scale(${num(scene.mirror ? -scene.scale : scene.scale)} ${num(scene.scale)})`;
  const creases = hand.creases
    .map((points) => `<polyline points="${points.map(num).join(' ')}" fill="none" stroke="${css(shade(scene.skin, 0.6))}" stroke-width="0.035" stroke-linecap="round"/>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><defs>`,
    `<radialGradient id="bg" cx="0.5" cy="0.5" r="0.71"><stop offset="0.3" stop-color="${css(scene.background[0])}"/><stop offset="1" stop-color="${css(scene.background[1])}"/></radialGradient>`,
    `<linearGradient id="skin" gradientUnits="userSpaceOnUse" x1="${num(lx)}" y1="${num(ly)}" x2="${num(-lx)}" y2="${num(-ly)}">`,
    `<stop offset="0" stop-color="${css(shade(scene.skin, 1.1))}"/><stop offset="1" stop-color="${css(shade(scene.skin, 0.86))}"/></linearGradient></defs>`,
    `<rect width="${size}" height="${size}" fill="url(#bg)"/>`,
    `<g transform="${transform}">`,
    hand.silhouette.map((part) => partSvg(part, outline, OUTLINE)).join(''),
    hand.silhouette.map((part) => partSvg(part, 'url(#skin)', 0)).join(''),
    hand.overlays.map((part) => partSvg(part, outline, OUTLINE) + partSvg(part, 'url(#skin)', 0)).join(''),
    creases,
    '</g></svg>',
  ].join('');
}

/** A 32-bit seed for one image from the dataset seed, the class and the image's index. */
function imageSeed(seed: number, classIndex: number, index: number): number {
  let h = seed >>> 0;
  for (const part of [classIndex, index]) {
    h = Math.imul(h ^ part, 0x9e3779b1) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
  }
  return h;
}

/** Image `index` of a class, encoded; the same arguments always give the same bytes. */
export async function renderRpsImage(
  className: RpsClassName,
  { seed, index, size, format }: { seed: number; index: number; size: number; format: 'png' | 'jpeg' },
): Promise<Uint8Array> {
  const random = createRandom(imageSeed(seed, RPS_CLASS_NAMES.indexOf(className), index));
  const scene = sampleScene(random, size, className);
  const { data } = await sharp(Buffer.from(sceneSvg(className, scene, size)))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  addGrain(data, scene.noise, (random() * 0x1_0000_0000) >>> 0);
  const image = sharp(data, { raw: { width: size, height: size, channels: 3 } });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 90 }).toBuffer();
}

/**
 * Sensor-like grain: uniform noise of ±`amplitude` levels on every channel. One xorshift32 step
 * yields four samples, three times faster than a PRNG call per sample (noise was a third of the
 * time an image took); a clamped view saturates at 0 and 255.
 */
function addGrain(pixels: Uint8Array, amplitude: number, seed: number): void {
  const out = new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, pixels.length);
  const k = amplitude / 128;
  let x = seed || 1;
  for (let p = 0; p < out.length; p += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    for (let b = 0; b < 4 && p + b < out.length; b++) out[p + b]! += (((x >>> (8 * b)) & 255) - 127.5) * k;
  }
}
