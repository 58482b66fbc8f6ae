/**
 * `tf.io.IOHandler`s for a model directory in TF.js's standard layout: `model.json` plus weight
 * shards `group1-shardKofN.bin` named relative to it, so the same folder loads in Node through
 * `directoryLoadHandler` and in a browser through `tf.loadLayersModel('https://…/model.json')`.
 * (tfjs-node's `file://` handler would do this, but tfjs-node cannot be installed here.)
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { crc32c } from '@node-rs/crc32';
import { PipelineError, describeZodError } from '@tsfx/shared';
import { type AtomicDirectoryOptions, isErrno, writeDirectoryAtomically, writeFileDurably } from './atomic-fs';
import { type TWeightQuantization, quantizeWeights } from './quantize-weights';
import {
  DEFAULT_SHARD_BYTES,
  MODEL_JSON_FILE,
  type TModelJson,
  type TShardIntegrity,
  ZModelJson,
  fixedWeightByteLength,
  shardFileName,
} from './weights-manifest';

const QUANTIZATIONS: readonly TWeightQuantization[] = ['float16', 'uint8', 'uint16'];

export type DirectorySaveOptions = AtomicDirectoryOptions & {
  /** Store float32 model weights as float16 or affine uint8/uint16 (see quantize-weights.ts). Default: float32. */
  quantize?: TWeightQuantization;
  /** Largest shard file, in bytes. Default 4 MiB, like tfjs-converter. */
  shardBytes?: number;
};

/** What a save wrote: the folder, its model.json and the bytes of weights in its shards. */
export type WrittenModelDirectory = {
  path: string;
  modelJson: TModelJson;
  /** Bytes of weight data over all shards (after quantization). */
  weightBytes: number;
  saveResult: tf.io.SaveResult;
};

function checkSaveOptions(options: DirectorySaveOptions): { quantize: TWeightQuantization | undefined; shardBytes: number } {
  const shardBytes = options.shardBytes ?? DEFAULT_SHARD_BYTES;
  if (!Number.isSafeInteger(shardBytes) || shardBytes <= 0) {
    throw new PipelineError('INVALID_INPUT', 'invalid shardBytes', { expected: 'a positive integer', received: String(shardBytes) });
  }
  if (options.quantize !== undefined && !QUANTIZATIONS.includes(options.quantize)) {
    throw new PipelineError('INVALID_INPUT', 'invalid weight quantization', {
      expected: QUANTIZATIONS.join(' | '),
      received: String(options.quantize),
    });
  }
  return { quantize: options.quantize, shardBytes };
}

function splitIntoShards(data: Uint8Array, shardBytes: number): Uint8Array[] {
  const shards: Uint8Array[] = [];
  // A weight may straddle two shards: loaders concatenate a group's shards before decoding.
  for (let start = 0; start < data.byteLength; start += shardBytes) shards.push(data.subarray(start, start + shardBytes));
  return shards;
}

/**
 * Writes `artifacts` (what `LayersModel.save` hands an IOHandler) to `dir` atomically:
 * shards first, `model.json` last, in a temp folder renamed into place.
 */
export async function writeModelDirectory(
  dir: string,
  artifacts: tf.io.ModelArtifacts,
  options: DirectorySaveOptions = {},
): Promise<WrittenModelDirectory> {
  const { quantize, shardBytes } = checkSaveOptions(options);
  const topology = artifacts.modelTopology;
  if (topology == null || topology instanceof ArrayBuffer) {
    throw new PipelineError('INVALID_INPUT', 'only JSON model topologies (layers models) can be saved to a directory', {
      expected: 'modelTopology as a JSON object',
      received: topology == null ? 'no topology' : 'a binary (GraphDef) topology',
    });
  }

  let specs = artifacts.weightSpecs ?? [];
  let data = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []);
  if (quantize !== undefined) ({ specs, data } = quantizeWeights(specs, data, quantize));

  const shards = splitIntoShards(new Uint8Array(data), shardBytes);
  const paths = shards.map((_, i) => shardFileName(0, i, shards.length));
  const weightsIntegrity: Record<string, TShardIntegrity> = {};
  shards.forEach((shard, i) => {
    weightsIntegrity[paths[i] as string] = { bytes: shard.byteLength, crc32c: crc32c(shard) };
  });

  const modelJson: TModelJson = {
    modelTopology: topology as Record<string, unknown>,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths, weights: specs }],
    ...(artifacts.trainingConfig != null && { trainingConfig: artifacts.trainingConfig as unknown as Record<string, unknown> }),
    ...(artifacts.userDefinedMetadata != null && { userDefinedMetadata: artifacts.userDefinedMetadata }),
    ...(artifacts.signature != null && { signature: artifacts.signature as Record<string, unknown> }),
    ...(artifacts.modelInitializer != null && { modelInitializer: artifacts.modelInitializer as Record<string, unknown> }),
    ...(artifacts.initializerSignature != null && { initializerSignature: artifacts.initializerSignature as Record<string, unknown> }),
    weightsIntegrity,
  };
  const modelJsonText = JSON.stringify(modelJson);

  await writeDirectoryAtomically(
    dir,
    async (tempDir) => {
      for (const [i, shard] of shards.entries()) await writeFileDurably(join(tempDir, paths[i] as string), shard);
      // Last, like TFX's Pusher copies saved_model.pb last: model.json names the shards above.
      await writeFileDurably(join(tempDir, MODEL_JSON_FILE), modelJsonText);
    },
    options,
  );

  const saveResult: tf.io.SaveResult = {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: new TextEncoder().encode(JSON.stringify(topology)).byteLength,
      weightSpecsBytes: new TextEncoder().encode(JSON.stringify(specs)).byteLength,
      weightDataBytes: data.byteLength,
    },
  };
  return { path: dir, modelJson, weightBytes: data.byteLength, saveResult };
}

/**
 * An IOHandler whose `save` writes a model directory (see {@link writeModelDirectory}).
 *
 * @example
 * await model.save(directorySaveHandler('/models/penguins', { quantize: 'uint8' }));
 */
export function directorySaveHandler(dir: string, options: DirectorySaveOptions = {}): tf.io.IOHandler {
  checkSaveOptions(options);
  return { save: async (artifacts) => (await writeModelDirectory(dir, artifacts, options)).saveResult };
}

function corrupt(message: string, expected: string, received: string, cause?: unknown): PipelineError {
  return new PipelineError('ARTIFACT_CORRUPT', message, { expected, received, cause });
}

/** Reads and validates `<dir>/model.json`. */
export async function readModelJson(dir: string): Promise<TModelJson> {
  const path = join(dir, MODEL_JSON_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw corrupt(`${path} is missing`, `a TF.js ${MODEL_JSON_FILE} at ${path}`, errnoText(error), error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt(`${path} is not valid JSON`, `a TF.js ${MODEL_JSON_FILE}`, (error as Error).message, error);
  }
  const parsed = ZModelJson.safeParse(json);
  if (!parsed.success) {
    throw corrupt(`${path} is not a TF.js model.json`, 'modelTopology and weightsManifest [{ paths, weights }]', describeZodError(parsed.error), parsed.error);
  }
  return parsed.data;
}

function errnoText(error: unknown): string {
  return isErrno(error, 'ENOENT') ? 'no such file' : error instanceof Error ? error.message : String(error);
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** Reads one shard and checks it against what model.json recorded for it. */
async function readShard(dir: string, path: string, index: number, count: number, integrity: TShardIntegrity | undefined): Promise<Uint8Array> {
  const file = join(dir, path);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw corrupt(`weight shard ${file} is missing`, `shard ${index + 1} of ${count} listed in ${MODEL_JSON_FILE}`, errnoText(error), error);
  }
  if (integrity !== undefined) {
    if (bytes.byteLength !== integrity.bytes) {
      throw corrupt(`weight shard ${file} has the wrong size`, `${integrity.bytes} bytes`, `${bytes.byteLength} bytes`);
    }
    const actual = crc32c(bytes);
    if (actual !== integrity.crc32c) {
      throw corrupt(`weight shard ${file} is corrupt`, `CRC-32C ${hex(integrity.crc32c)}`, `CRC-32C ${hex(actual)}`);
    }
  }
  return bytes;
}

/**
 * Reads a model directory into `ModelArtifacts`. Every shard is checked: present, then its size
 * and CRC-32C when model.json records them (ours do), and each group's total length against
 * what its weight specs need (for model.json files written by other tools).
 */
export async function readModelDirectory(dir: string): Promise<tf.io.ModelArtifacts> {
  const modelJson = await readModelJson(dir);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const weightData: ArrayBuffer[] = [];
  for (const group of modelJson.weightsManifest) {
    let groupBytes = 0;
    for (const [i, path] of group.paths.entries()) {
      const shard = await readShard(dir, path, i, group.paths.length, modelJson.weightsIntegrity?.[path]);
      weightData.push(shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength) as ArrayBuffer);
      groupBytes += shard.byteLength;
    }
    const lengths = group.weights.map(fixedWeightByteLength);
    if (lengths.every((n) => n !== undefined)) {
      const expected = lengths.reduce((a, b) => a + b, 0);
      if (expected !== groupBytes) {
        throw corrupt(
          `weight shards ${group.paths.map((p) => join(dir, p)).join(', ')} do not hold the weights listed in ${MODEL_JSON_FILE}`,
          `${expected} bytes in all`,
          `${groupBytes} bytes`,
        );
      }
    }
    weightSpecs.push(...group.weights);
  }
  return {
    modelTopology: modelJson.modelTopology,
    format: modelJson.format,
    generatedBy: modelJson.generatedBy,
    convertedBy: modelJson.convertedBy ?? null,
    weightSpecs,
    weightData,
    // The schema checked these are JSON objects; their inner shape is tfjs-layers' to check.
    ...(modelJson.trainingConfig !== undefined && { trainingConfig: modelJson.trainingConfig as unknown as tf.io.TrainingConfig }),
    ...(modelJson.userDefinedMetadata !== undefined && { userDefinedMetadata: modelJson.userDefinedMetadata as Record<string, object> }),
    ...(modelJson.signature !== undefined && { signature: modelJson.signature }),
    ...(modelJson.modelInitializer !== undefined && { modelInitializer: modelJson.modelInitializer }),
    ...(modelJson.initializerSignature !== undefined && { initializerSignature: modelJson.initializerSignature }),
  };
}

/**
 * An IOHandler whose `load` reads a model directory (see {@link readModelDirectory}).
 *
 * @example
 * const model = await tfl.loadLayersModel(directoryLoadHandler('/models/penguins'));
 */
export function directoryLoadHandler(dir: string): tf.io.IOHandler {
  return { load: () => readModelDirectory(dir) };
}
