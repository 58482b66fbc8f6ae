/**
 * Loads one servable version folder (as written by exportServable) and checks all of it:
 * signature and lineage against their schemas, every listed file's size and CRC-32C, the
 * transform graph as JSON, the model's shards, and the model against the signature. Anything
 * off is an ARTIFACT_CORRUPT that names the file, what was expected and what was found.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { z } from 'zod';
import { crc32c } from '@node-rs/crc32';
import { PipelineError, describeZodError } from '@tsfx/shared';
import { isErrno } from './atomic-fs';
import { loadModelFromDirectory } from './save-load';
import { SERVABLE_LAYOUT, parseVersionFolderName } from './servable-layout';
import { type TServableLineage, type TServableSignature, ZServableLineage, ZServableSignature } from './servable-signature';
import { describeSignatureMismatches } from './signature-check';

export type LoadedServable = {
  path: string;
  version: number;
  signature: TServableSignature;
  lineage: TServableLineage;
  model: tfl.LayersModel;
  /** `transform_graph.json` as written; libs/data parses it into a transform. */
  transformGraphText: string;
  /** Every shipped file's text by name, the transform graph included. */
  files: Record<string, string>;
};

function corrupt(message: string, expected: string, received: string, cause?: unknown): PipelineError {
  return new PipelineError('ARTIFACT_CORRUPT', message, { expected, received, cause });
}

async function readBytes(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const received = isErrno(error, 'ENOENT') ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw corrupt(`${path} is missing`, what, received, error);
  }
}

async function readValidatedJson<T extends z.ZodType>(path: string, schema: T, what: string): Promise<z.infer<T>> {
  const text = (await readBytes(path, what)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt(`${path} is not valid JSON`, what, (error as Error).message, error);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw corrupt(`${path} is not a valid ${what}`, what, describeZodError(parsed.error), parsed.error);
  return parsed.data;
}

/**
 * Reads and validates the servable at `dir` (a version folder).
 *
 * @example
 * const servable = await readServable((await resolveServableVersion(base, 'penguins')).path);
 */
export async function readServable(dir: string): Promise<LoadedServable> {
  const signaturePath = join(dir, SERVABLE_LAYOUT.signature);
  const signature = await readValidatedJson(signaturePath, ZServableSignature, 'servable signature');
  const folderVersion = parseVersionFolderName(basename(dir));
  if (folderVersion !== undefined && folderVersion !== signature.version) {
    throw corrupt(`${signaturePath} belongs to another version`, `version ${folderVersion} (the folder's name)`, `version ${signature.version}`);
  }
  const lineage = await readValidatedJson(join(dir, SERVABLE_LAYOUT.lineage), ZServableLineage, 'servable lineage');

  const files: Record<string, string> = {};
  for (const file of signature.files) {
    const path = join(dir, file.name);
    const bytes = await readBytes(path, `a file listed in ${SERVABLE_LAYOUT.signature}`);
    if (bytes.byteLength !== file.bytes) throw corrupt(`${path} has the wrong size`, `${file.bytes} bytes`, `${bytes.byteLength} bytes`);
    const actual = crc32c(bytes);
    if (actual !== file.crc32c) throw corrupt(`${path} was modified after export`, `CRC-32C ${file.crc32c}`, `CRC-32C ${actual}`);
    files[file.name] = bytes.toString('utf8');
  }
  const transformGraphPath = join(dir, SERVABLE_LAYOUT.transformGraph);
  const transformGraphText = files[SERVABLE_LAYOUT.transformGraph];
  if (transformGraphText === undefined) {
    throw corrupt(`${transformGraphPath} is not part of the servable`, `${SERVABLE_LAYOUT.transformGraph} listed in ${SERVABLE_LAYOUT.signature}`, `files ${Object.keys(files).join(', ') || '(none)'}`);
  }
  try {
    JSON.parse(transformGraphText);
  } catch (error) {
    throw corrupt(`${transformGraphPath} is not valid JSON`, 'the transform graph as JSON', (error as Error).message, error);
  }

  const model = await loadModelFromDirectory(join(dir, SERVABLE_LAYOUT.modelDir));
  const mismatches = describeSignatureMismatches(signature, model);
  if (mismatches.length > 0) {
    model.dispose();
    throw corrupt(`${signaturePath} does not describe the model in ${join(dir, SERVABLE_LAYOUT.modelDir)}`, 'matching inputs, outputs and class labels', mismatches.join('; '));
  }
  return { path: dir, version: signature.version, signature, lineage, model, transformGraphText, files };
}
