import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { PipelineError } from '@tsfx/shared';

/**
 * Where artifacts' files live. The driver asks for a staging directory per output, lets
 * the executor write into it, then commits it to its final uri in one rename, so a crash
 * never leaves a half-written artifact at a final uri.
 */
export type ArtifactStore = {
  /** Root of the store, for display. */
  readonly root: string;
  /** Final uri of an output: `<root>/<runId>/<stageId>/<channel>`. */
  uriFor(runId: string, stageId: string, channel: string): string;
  /** Creates a fresh, empty staging directory for an output. */
  stage(runId: string, stageId: string, channel: string): Promise<string>;
  /** Moves a staging directory to the output's final uri (replacing a stale one from a crash). */
  commit(stagingUri: string, finalUri: string): Promise<void>;
  /** Drops a staging directory (failed or cancelled execution). */
  discard(stagingUri: string): Promise<void>;
  /**
   * A stage's scratch directory in a run, kept across failed attempts so that a resumed
   * attempt finds what the crashed one left (training checkpoints); created on demand.
   */
  workDir(runId: string, stageId: string): Promise<string>;
  /** Drops a stage's scratch directory once the stage has completed. */
  dropWorkDir(runId: string, stageId: string): Promise<void>;
  exists(uri: string): Promise<boolean>;
  /** sha256 over the relative paths and contents of every file under `uri`. */
  fingerprint(uri: string): Promise<string>;
};

/** The embedded default: a local folder, `./.tsfx/artifacts` unless configured. */
export function createLocalArtifactStore(root: string): ArtifactStore {
  const absoluteRoot = resolve(root);
  const uriFor = (runId: string, stageId: string, channel: string) => join(absoluteRoot, runId, stageId, channel);
  return {
    root: absoluteRoot,
    uriFor,
    async stage(runId, stageId, channel) {
      const stageDir = join(absoluteRoot, runId, stageId);
      // A process that died mid-stage leaves its staging directory behind; the resumed
      // attempt is its only possible owner, so it clears them.
      const prefix = `.staging-${channel}-`;
      for (const name of await readdir(stageDir).catch(() => [] as string[])) {
        if (name.startsWith(prefix)) await rm(join(stageDir, name), { recursive: true, force: true });
      }
      const staging = join(stageDir, `${prefix}${process.pid}-${Date.now()}`);
      await mkdir(staging, { recursive: true });
      return staging;
    },
    async commit(stagingUri, finalUri) {
      await rm(finalUri, { recursive: true, force: true });
      await rename(stagingUri, finalUri);
    },
    async discard(stagingUri) {
      await rm(stagingUri, { recursive: true, force: true });
    },
    async workDir(runId, stageId) {
      const dir = join(absoluteRoot, runId, stageId, '.work');
      await mkdir(dir, { recursive: true });
      return dir;
    },
    async dropWorkDir(runId, stageId) {
      await rm(join(absoluteRoot, runId, stageId, '.work'), { recursive: true, force: true });
    },
    async exists(uri) {
      try {
        return (await stat(uri)).isDirectory();
      } catch {
        return false;
      }
    },
    fingerprint: fingerprintDirectory,
  };
}

export async function fingerprintDirectory(uri: string): Promise<string> {
  const files = await listFiles(uri).catch((error: unknown) => {
    throw new PipelineError('ARTIFACT_CORRUPT', `cannot read artifact directory ${uri}`, {
      expected: 'a readable directory',
      received: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  });
  const hash = createHash('sha256');
  for (const file of files.sort()) {
    hash.update(relative(uri, file).split(sep).join('/'));
    hash.update('\0');
    await new Promise<void>((done, fail) => {
      createReadStream(file)
        .on('data', (chunk) => hash.update(chunk))
        .on('end', () => done())
        .on('error', fail);
    });
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
