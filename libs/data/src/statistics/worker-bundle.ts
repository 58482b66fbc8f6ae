import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as Esbuild from 'esbuild';
import { PipelineError } from '@tsfx/shared';

/** Where worker bundles are cached, shared by every process of this user (and only this user). */
const CACHE_DIR = join(tmpdir(), `tsfx-worker-bundles-${process.getuid?.() ?? 'user'}`);

/** A cached bundle and the files it was built from, with the size and mtime each had then. */
type Manifest = { bundle: string; inputs: [path: string, size: number, mtimeMs: number][] };

/**
 * Starts a worker thread running a TypeScript module of this workspace.
 *
 * The workspace ships TypeScript sources and runs them through a loader (tsx for the CLI and
 * scripts, vite for vitest), and a worker thread inherits none of it that works for all three.
 * Loading tsx inside each worker works but costs about 0.9 s per start (measured: two workers
 * on 2 cores), more than the work handed to them on a 1M-row file. So the entry and everything
 * it imports are bundled into one plain-JavaScript file with esbuild (the compiler tsx itself
 * uses), cached under the system temp directory and rebuilt when any input file changes (size
 * or modification time, as make and tsc's watch mode judge). The bundle is compiled with a V8
 * code cache kept beside it (what Node 22's module compile cache does): a start then costs
 * about 40 ms instead of 60 ms, most of it Node's own worker start-up.
 */
export async function startTypeScriptWorker(entryPath: string): Promise<Worker> {
  const bundle = await bundleWorkerEntry(entryPath);
  const options = { eval: true, workerData: { bundle, codeCache: `${bundle}.v8cache` } };
  // The bundle is plain JavaScript: a TypeScript loader inherited from the parent's flags
  // (`node --import tsx`) would only add its own start-up cost to every worker.
  try {
    return new Worker(BOOTSTRAP, { ...options, execArgv: withoutLoaders(process.execArgv) });
  } catch (error) {
    // Flags a worker cannot take (V8 and process-wide ones, such as --max-old-space-size) are
    // dropped when a worker inherits them, but refused when listed: start with none then.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(BOOTSTRAP, { ...options, execArgv: [] });
  }
}

/**
 * The worker's first code: runs the CommonJS bundle through `vm.Script` with the code cache
 * (bytecode of every function the bundle ran while loading), and writes the cache when there was
 * none or V8 rejected it (another Node version). A cache that cannot be written is only slower.
 */
const BOOTSTRAP = `
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');
const { threadId, workerData } = require('node:worker_threads');
const { bundle, codeCache } = workerData;
let cachedData;
try { cachedData = readFileSync(codeCache); } catch {}
const source = '(function (exports, require, module, __filename, __dirname) {' + readFileSync(bundle, 'utf8') + '\\n})';
const script = new Script(source, { filename: bundle, cachedData });
const bundleModule = { exports: {} };
script.runInThisContext()(bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle));
if (cachedData === undefined || script.cachedDataRejected) {
  const temporary = codeCache + '.' + process.pid + '.' + threadId + '.tmp';
  try { writeFileSync(temporary, script.createCachedData()); renameSync(temporary, codeCache); } catch {}
}
`;

/** Path of the cached bundle of `entryPath`, built first when missing or stale. */
export async function bundleWorkerEntry(entryPath: string): Promise<string> {
  const manifestPath = join(CACHE_DIR, `${basename(entryPath, '.ts')}-${sha256(entryPath).slice(0, 16)}.json`);
  const manifest = await readManifest(manifestPath);
  if (manifest && (await isFresh(manifest))) return manifest.bundle;
  return build(entryPath, manifestPath);
}

async function build(entryPath: string, manifestPath: string): Promise<string> {
  let esbuild: typeof Esbuild;
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new PipelineError('INTERNAL', 'cannot load esbuild to bundle a worker thread', {
      expected: 'the esbuild package (installed with tsx, the workspace TypeScript runner)',
      received: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
  const workingDir = dirname(entryPath);
  const result = await esbuild.build({
    entryPoints: [entryPath],
    absWorkingDir: workingDir,
    bundle: true,
    platform: 'node',
    // CommonJS, so the worker can compile it with vm.Script and a code cache (see BOOTSTRAP).
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const inputs = await Promise.all(
    Object.keys(result.metafile.inputs).map(async (input): Promise<Manifest['inputs'][number]> => {
      const path = resolve(workingDir, input);
      const { size, mtimeMs } = await stat(path);
      return [path, size, mtimeMs];
    }),
  );
  const bundle = join(CACHE_DIR, `${basename(entryPath, '.ts')}-${sha256(code).slice(0, 16)}.cjs`);
  await mkdir(CACHE_DIR, { recursive: true });
  // Write then rename, so a process starting workers at the same time never reads half a file.
  await writeAtomically(bundle, code);
  const previous = await readManifest(manifestPath);
  await writeAtomically(manifestPath, JSON.stringify({ bundle, inputs } satisfies Manifest));
  // The bundle it replaces is stale: delete it so the cache does not grow with every edit (a
  // process that picked it a moment before it went stale fails to start and can be re-run).
  if (previous && previous.bundle !== bundle) {
    await rm(previous.bundle, { force: true });
    await rm(`${previous.bundle}.v8cache`, { force: true });
  }
  return bundle;
}

async function readManifest(path: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

async function isFresh(manifest: Manifest): Promise<boolean> {
  try {
    const [, ...checks] = await Promise.all([
      stat(manifest.bundle).then(() => true),
      ...manifest.inputs.map(async ([path, size, mtimeMs]) => {
        const now = await stat(path);
        return now.size === size && now.mtimeMs === mtimeMs;
      }),
    ]);
    return checks.every(Boolean);
  } catch {
    // A missing input or bundle, or a manifest of another layout: rebuild.
    return false;
  }
}

async function writeAtomically(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Node flags that install a module loader or preload a module, with their values. */
const LOADER_FLAGS = new Set(['--import', '--loader', '--experimental-loader', '--require', '-r']);

function withoutLoaders(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    const name = flag.split('=')[0]!;
    if (!LOADER_FLAGS.has(name)) kept.push(flag);
    else if (!flag.includes('=')) i++; // the value is the next argument
  }
  return kept;
}
