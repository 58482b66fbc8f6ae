/**
 * TF Serving's on-disk layout, `<modelBasePath>/<modelName>/<version>/`, as rules that the
 * exporter (here) and the server (libs/serving) share: only an all-digit folder name is a
 * version, so an exporter's `.tmp-*` folder is never served; the latest version is the highest.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PipelineError } from '@tsfx/shared';
import { isErrno } from './atomic-fs';

/** Files and folders inside one servable version. */
export const SERVABLE_LAYOUT = {
  modelDir: 'model',
  signature: 'signature.json',
  lineage: 'lineage.json',
  transformGraph: 'transform_graph.json',
} as const;

/** A model name that is also a safe single folder name. */
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function checkModelName(modelName: string): void {
  if (!MODEL_NAME.test(modelName)) {
    throw new PipelineError('INVALID_INPUT', 'invalid model name', {
      expected: 'letters, digits, ".", "_" or "-", starting with a letter or digit',
      received: JSON.stringify(modelName),
    });
  }
}

/** The version a folder name stands for, or undefined when the folder is not a version. */
export function parseVersionFolderName(name: string): number | undefined {
  if (!/^\d+$/.test(name)) return undefined;
  const version = Number(name);
  return Number.isSafeInteger(version) && version > 0 ? version : undefined;
}

/** The version numbers present in `modelDir`, ascending; none when the folder does not exist yet. */
export async function readVersionNumbers(modelDir: string): Promise<number[]> {
  let entries;
  try {
    entries = await readdir(modelDir, { withFileTypes: true });
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => parseVersionFolderName(entry.name))
    .filter((v): v is number => v !== undefined)
    .sort((a, b) => a - b);
}

export function versionDirectory(modelBasePath: string, modelName: string, version: number): string {
  return join(modelBasePath, modelName, String(version));
}
