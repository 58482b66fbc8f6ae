/**
 * Durable, all-or-nothing directory writes: fill a temp directory next to the destination
 * (same filesystem, so rename is atomic), fsync every file and the directory, then rename it
 * into place. A reader sees the old state or the complete new one, never half a model.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PipelineError } from '@tsfx/shared';

/** Writes `data` to `path` and fsyncs it, so that a rename after this never exposes an empty file. */
export async function writeFileDurably(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * fsyncs a directory so that the entries created or renamed in it survive a crash. Platforms
 * that cannot open a directory for syncing (Windows) make this a no-op.
 */
export async function syncDirectory(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isErrno(error, 'EISDIR') || isErrno(error, 'EPERM')) return;
    throw error;
  }
  try {
    await handle.sync();
  } catch (error) {
    if (!isErrno(error, 'EINVAL') && !isErrno(error, 'EPERM')) throw error;
  } finally {
    await handle.close();
  }
}

export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

/** A short random suffix for temp names, unique enough for concurrent writers to one folder. */
export function tempSuffix(): string {
  return randomUUID().slice(0, 8);
}

/** Whether `path` exists; errors other than ENOENT (permissions, I/O) are thrown, not taken as "no". */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return false;
    throw error;
  }
}

export type AtomicDirectoryOptions = {
  /**
   * Replace `dir` if it exists. The old folder is renamed aside, the new one renamed in, the old
   * one deleted: a crash between the two renames leaves `dir` missing but the old copy intact
   * next to it (`.<name>.old-*`). Default false: an existing `dir` is a CONFLICT.
   */
  overwrite?: boolean;
};

/**
 * Runs `fill(tempDir)` on a fresh temp directory beside `dir`, then makes it `dir`. On any
 * failure the temp directory is removed and `dir` is left as it was.
 */
export async function writeDirectoryAtomically<T>(
  dir: string,
  fill: (tempDir: string) => Promise<T>,
  options: AtomicDirectoryOptions = {},
): Promise<T> {
  const parent = dirname(dir);
  const name = basename(dir);
  await mkdir(parent, { recursive: true });
  if (!options.overwrite && (await pathExists(dir))) {
    throw new PipelineError('CONFLICT', `cannot save into ${dir}: it already exists`, {
      expected: 'a path that does not exist yet (or overwrite: true)',
      received: 'an existing path',
    });
  }
  const tempDir = join(parent, `.${name}.tmp-${tempSuffix()}`);
  await mkdir(tempDir);
  try {
    const result = await fill(tempDir);
    await syncDirectory(tempDir);
    await moveIntoPlace(tempDir, dir, options.overwrite ?? false);
    await syncDirectory(parent);
    return result;
  } catch (error) {
    await rm(tempDir, { recursive: true, force: true });
    throw error;
  }
}

async function moveIntoPlace(tempDir: string, dir: string, overwrite: boolean): Promise<void> {
  if (!overwrite || !(await pathExists(dir))) {
    try {
      await rename(tempDir, dir);
      return;
    } catch (error) {
      // Someone else created it between our check and the rename.
      if (isErrno(error, 'ENOTEMPTY') || isErrno(error, 'EEXIST')) {
        throw new PipelineError('CONFLICT', `cannot save into ${dir}: it was created while saving`, {
          expected: 'a path that does not exist yet',
          received: 'an existing path',
          cause: error,
        });
      }
      throw error;
    }
  }
  const aside = join(dirname(dir), `.${basename(dir)}.old-${tempSuffix()}`);
  await rename(dir, aside);
  await rename(tempDir, dir);
  await rm(aside, { recursive: true, force: true });
}
