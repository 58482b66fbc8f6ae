import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { PipelineError } from '@tsfx/shared';
import { z } from 'zod';
import { writeDirectoryAtomically, writeFileDurably } from '../export/atomic-fs';
import type { TEpochLogs } from './schemas';

/**
 * Per-epoch training checkpoints: the model's weights, the optimizer's slots (Adam's moments,
 * momentum…, so a resumed run continues exactly where it stopped) and the loop's state.
 *
 * Layout: `<dir>/epoch-<n>/{state.json, weights.bin, optimizer.bin}` where n counts completed
 * epochs. Each is written to a temp folder, fsynced and renamed into place, so a process killed
 * while writing leaves the previous checkpoint intact and no half-written one.
 */
const CHECKPOINT_FORMAT_VERSION = 1;

/** A weight or optimizer slot with its name, as tfjs's optimizers get and set them. */
type TNamedTensor = { name: string; tensor: tf.Tensor };

const ZWeightSpec = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'int32', 'bool', 'string', 'complex64']),
});

const ZCheckpointState = z.object({
  formatVersion: z.literal(CHECKPOINT_FORMAT_VERSION),
  /** Epochs completed when this checkpoint was written. */
  epochsDone: z.number().int().positive(),
  history: z.array(z.record(z.string(), z.number())),
  early: z.object({ best: z.number().nullable(), bestEpoch: z.number().int().nullable(), wait: z.number().int().nonnegative() }),
  weightSpecs: z.array(ZWeightSpec),
  optimizerSpecs: z.array(ZWeightSpec),
});
export type TCheckpointState = Omit<z.infer<typeof ZCheckpointState>, 'formatVersion' | 'weightSpecs' | 'optimizerSpecs'>;

export type TCheckpointLoop = { epochsDone: number; history: TEpochLogs[]; early: TCheckpointState['early'] };

function epochDir(dir: string, epochsDone: number): string {
  return join(dir, `epoch-${epochsDone}`);
}

async function encode(named: TNamedTensor[]): Promise<{ data: ArrayBuffer; specs: z.infer<typeof ZWeightSpec>[] }> {
  const { data, specs } = await tf.io.encodeWeights(named);
  return { data, specs: specs.map((spec) => ({ name: spec.name, shape: spec.shape, dtype: spec.dtype })) };
}

/** Saves a checkpoint after `loop.epochsDone` epochs and removes older ones, except `keepEpoch` (the best). */
export async function saveCheckpoint(dir: string, model: LayersModel, loop: TCheckpointLoop, keepEpoch?: number): Promise<string> {
  const values = model.getWeights();
  const weights = await encode(model.weights.map((w, i) => ({ name: w.originalName, tensor: values[i] as tf.Tensor })));
  const optimizer = model.optimizer ? await encode(await model.optimizer.getWeights()) : { data: new ArrayBuffer(0), specs: [] };
  const state: z.infer<typeof ZCheckpointState> = {
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    epochsDone: loop.epochsDone,
    history: loop.history,
    early: loop.early,
    weightSpecs: weights.specs,
    optimizerSpecs: optimizer.specs,
  };
  const target = epochDir(dir, loop.epochsDone);
  await writeDirectoryAtomically(
    target,
    async (temp) => {
      await writeFileDurably(join(temp, 'weights.bin'), new Uint8Array(weights.data));
      await writeFileDurably(join(temp, 'optimizer.bin'), new Uint8Array(optimizer.data));
      await writeFileDurably(join(temp, 'state.json'), `${JSON.stringify(state)}\n`);
    },
    { overwrite: true },
  );
  for (const n of await listCheckpoints(dir)) {
    if (n !== loop.epochsDone && n !== keepEpoch) await rm(epochDir(dir, n), { recursive: true, force: true });
  }
  return target;
}

/** Completed-epoch counts of the checkpoints in `dir`, ascending. */
export async function listCheckpoints(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => /^epoch-(\d+)$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function corrupt(path: string, message: string, expected: string, received: string): PipelineError {
  return new PipelineError('ARTIFACT_CORRUPT', `${message}: ${path}`, { expected, received });
}

/**
 * Loads a checkpoint into `model` (weights, and optimizer slots when the model is compiled)
 * and returns the loop state. Refuses a checkpoint of another architecture.
 */
export async function loadCheckpoint(dir: string, epochsDone: number, model: LayersModel): Promise<TCheckpointLoop> {
  const path = epochDir(dir, epochsDone);
  let state: z.infer<typeof ZCheckpointState>;
  try {
    state = ZCheckpointState.parse(JSON.parse(await readFile(join(path, 'state.json'), 'utf8')));
  } catch (error) {
    throw corrupt(path, 'checkpoint state is unreadable', `a state.json of format ${CHECKPOINT_FORMAT_VERSION}`, (error as Error).message);
  }
  const expected = model.weights.map((w) => `${w.originalName}${JSON.stringify(w.shape)}`);
  const stored = state.weightSpecs.map((s) => `${s.name}${JSON.stringify(s.shape)}`);
  if (expected.join() !== stored.join()) {
    throw corrupt(path, 'checkpoint belongs to a different model', expected.slice(0, 4).join(', '), stored.slice(0, 4).join(', '));
  }
  const weights = decodeInOrder(toArrayBuffer(await readFile(join(path, 'weights.bin'))), state.weightSpecs);
  model.setWeights(weights.map((w) => w.tensor));
  tf.dispose(weights.map((w) => w.tensor));
  if (model.optimizer && state.optimizerSpecs.length > 0) {
    const buffer = toArrayBuffer(await readFile(join(path, 'optimizer.bin')));
    const decoded = decodeInOrder(buffer, state.optimizerSpecs);
    await model.optimizer.setWeights(decoded);
    // setWeights copies each slot into a new variable.
    tf.dispose(decoded.map((w) => w.tensor));
  }
  return { epochsDone: state.epochsDone, history: state.history as TEpochLogs[], early: state.early };
}

/** decodeWeights keys by name; weights and optimizer slots must keep their order, so decode one at a time. */
function decodeInOrder(buffer: ArrayBuffer, specs: z.infer<typeof ZWeightSpec>[]): TNamedTensor[] {
  const named: TNamedTensor[] = [];
  let offset = 0;
  for (const spec of specs) {
    const bytes = spec.shape.reduce((a, b) => a * b, 1) * 4;
    const one = tf.io.decodeWeights(buffer.slice(offset, offset + bytes), [spec]);
    named.push({ name: spec.name, tensor: one[spec.name] as tf.Tensor });
    offset += bytes;
  }
  return named;
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
