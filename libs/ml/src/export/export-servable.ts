/**
 * Exports a trained model as a new servable version in TF Serving's layout:
 *
 *   <modelBasePath>/<modelName>/<version>/
 *     model/               model.json + weight shards (TF.js layers format)
 *     transform_graph.json and the other given files
 *     lineage.json
 *     signature.json       written last
 *
 * Everything is written into `<modelBasePath>/<modelName>/.tmp-<id>/`, fsynced, and renamed to
 * the version folder in one step, like TFX's Pusher. Only all-digit folders are versions, so a
 * server never sees a half-written export.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { crc32c } from '@node-rs/crc32';
import { PipelineError, parseOrThrow } from '@tsfx/shared';
import { isErrno, pathExists, syncDirectory, tempSuffix, writeFileDurably } from './atomic-fs';
import type { TWeightQuantization } from './quantize-weights';
import { saveModelToDirectory } from './save-load';
import { SERVABLE_LAYOUT, checkModelName, readVersionNumbers } from './servable-layout';
import {
  type TServableFile,
  type TServableLineage,
  type TServableSignature,
  type TServableSignatureInput,
  ZServableLineage,
  ZServableSignature,
  ZServableSignatureInput,
} from './servable-signature';
import { describeSignatureMismatches } from './signature-check';

/** Times we look for the next free version when a concurrent export takes ours. */
const MAX_VERSION_ATTEMPTS = 10;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const RESERVED_NAMES = new Set<string>([SERVABLE_LAYOUT.modelDir, SERVABLE_LAYOUT.signature, SERVABLE_LAYOUT.lineage]);

export type ExportServableOptions = {
  modelBasePath: string;
  modelName: string;
  model: tfl.LayersModel;
  /** Text files shipped beside the model, by file name; `transform_graph.json` is required. */
  files: { [SERVABLE_LAYOUT.transformGraph]: string } & Record<string, string>;
  signature: TServableSignatureInput;
  lineage: TServableLineage;
  quantize?: TWeightQuantization;
  /** Largest weight shard in bytes (default 4 MiB). */
  shardBytes?: number;
  /** Export as this version; it must not exist yet. Default: the highest existing + 1. */
  version?: number;
  /** Clock for `createdAt` (tests pin it). */
  now?: () => Date;
};

export type ExportedServable = {
  version: number;
  /** The version folder. */
  path: string;
  signature: TServableSignature;
  /** Bytes of model weights in the shards (after quantization). */
  weightBytes: number;
};

function checkFiles(files: Record<string, string>): void {
  for (const name of Object.keys(files)) {
    if (!FILE_NAME.test(name) || RESERVED_NAMES.has(name)) {
      throw new PipelineError('INVALID_INPUT', `cannot ship a file named ${JSON.stringify(name)} in a servable`, {
        expected: `a plain file name other than ${[...RESERVED_NAMES].join(', ')}`,
        received: JSON.stringify(name),
      });
    }
  }
  const graph = files[SERVABLE_LAYOUT.transformGraph];
  if (typeof graph !== 'string') {
    throw new PipelineError('INVALID_INPUT', `a servable needs ${SERVABLE_LAYOUT.transformGraph}`, {
      expected: `files['${SERVABLE_LAYOUT.transformGraph}'] as JSON text`,
      received: `files ${Object.keys(files).join(', ') || '(none)'}`,
    });
  }
  try {
    JSON.parse(graph);
  } catch (error) {
    throw new PipelineError('INVALID_INPUT', `${SERVABLE_LAYOUT.transformGraph} is not valid JSON`, {
      expected: 'the transform graph as JSON text',
      received: (error as Error).message,
    });
  }
}

function checkVersion(version: number | undefined): void {
  if (version !== undefined && !(Number.isSafeInteger(version) && version > 0)) {
    throw new PipelineError('INVALID_INPUT', 'invalid servable version', { expected: 'a positive integer', received: String(version) });
  }
}

function versionConflict(modelName: string, version: number, path: string): PipelineError {
  return new PipelineError('CONFLICT', `model '${modelName}' already has version ${version}`, {
    expected: 'a version that does not exist yet (or no version, for the next one)',
    received: `${version} (${path} exists)`,
  });
}

/**
 * Writes a new servable version and returns it.
 *
 * @example
 * const { version, path } = await exportServable({
 *   modelBasePath, modelName: 'penguins', model,
 *   files: { 'transform_graph.json': graphJson, 'schema.json': schemaJson },
 *   signature: { task: 'classification', inputs: { raw, transformed }, outputs, classLabels },
 *   lineage: { pipelineName: 'penguins', runId, artifacts: { model: modelArtifactId } },
 *   quantize: 'uint8',
 * });
 */
export async function exportServable(options: ExportServableOptions): Promise<ExportedServable> {
  const { modelBasePath, modelName, model } = options;
  checkModelName(modelName);
  checkVersion(options.version);
  checkFiles(options.files);
  const signatureInput = parseOrThrow(ZServableSignatureInput, options.signature, 'servable signature');
  const lineage = parseOrThrow(ZServableLineage, options.lineage, 'servable lineage');
  const mismatches = describeSignatureMismatches(signatureInput, model);
  if (mismatches.length > 0) {
    throw new PipelineError('INVALID_INPUT', 'the signature does not describe the model', {
      expected: 'transformed inputs and outputs with the model’s shapes and dtypes, one class label per output unit',
      received: mismatches.join('; '),
    });
  }

  const modelDir = join(modelBasePath, modelName);
  if (options.version !== undefined && (await pathExists(join(modelDir, String(options.version))))) {
    throw versionConflict(modelName, options.version, join(modelDir, String(options.version)));
  }
  await mkdir(modelDir, { recursive: true });
  const tempDir = join(modelDir, `.tmp-${tempSuffix()}`);
  await mkdir(tempDir);
  try {
    const written = await saveModelToDirectory(model, join(tempDir, SERVABLE_LAYOUT.modelDir), {
      quantize: options.quantize,
      shardBytes: options.shardBytes,
    });
    const files: TServableFile[] = [];
    for (const [name, text] of Object.entries(options.files)) {
      const bytes = new TextEncoder().encode(text);
      await writeFileDurably(join(tempDir, name), bytes);
      files.push({ name, bytes: bytes.byteLength, crc32c: crc32c(bytes) });
    }
    await writeFileDurably(join(tempDir, SERVABLE_LAYOUT.lineage), `${JSON.stringify(lineage, null, 2)}\n`);

    const createdAt = (options.now ?? (() => new Date()))().toISOString();
    for (let attempt = 1; ; attempt++) {
      const version = options.version ?? Math.max(0, ...(await readVersionNumbers(modelDir))) + 1;
      const signature = ZServableSignature.parse({
        modelName,
        version,
        createdAt,
        tfjsVersion: tf.version_core,
        quantization: options.quantize ?? 'none',
        ...signatureInput,
        files,
      } satisfies TServableSignature);
      // The signature names the version, so it is (re)written for each version we try.
      await writeFileDurably(join(tempDir, SERVABLE_LAYOUT.signature), `${JSON.stringify(signature, null, 2)}\n`);
      await syncDirectory(tempDir);
      const versionDir = join(modelDir, String(version));
      try {
        await rename(tempDir, versionDir);
      } catch (error) {
        const taken = isErrno(error, 'ENOTEMPTY') || isErrno(error, 'EEXIST');
        if (!taken) throw error;
        if (options.version !== undefined) throw versionConflict(modelName, version, versionDir);
        if (attempt >= MAX_VERSION_ATTEMPTS) {
          throw new PipelineError('CONFLICT', `could not claim a new version of model '${modelName}'`, {
            expected: 'a free version number',
            received: `${attempt} versions taken by concurrent exports`,
          });
        }
        continue;
      }
      await syncDirectory(modelDir);
      return { version, path: versionDir, signature, weightBytes: written.weightBytes };
    }
  } catch (error) {
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}
