#!/usr/bin/env node
// `npm run setup:native [-- --wheel FILE | --tensorflow-dir DIR]`: makes the native TensorFlow
// backend (`@tensorflow/tfjs-node`) available. Its normal install downloads libtensorflow 2.9.1
// from storage.googleapis.com, which air-gapped machines cannot reach, so when that host does
// not answer the addon is compiled from source against the TensorFlow C library that every
// `tensorflow-cpu` wheel carries (libtensorflow_cc.so.2 + headers), found through pip. That build
// also adds tsfx's graph-function calls to the binding (scripts/native-binding), with which
// training steps and inference run as one TensorFlow function instead of op by op.
// tfjs-node stays optional: nothing in package.json names it, so `npm ci` never depends on it,
// and this script exits non-zero with the reason when it cannot finish.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { patchBinding } from './native-binding/patch-binding.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const addonDir = join(root, 'node_modules', '@tensorflow', 'tfjs-node');
const wheelCache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tsfx', 'wheels');
/** The libtensorflow that tfjs-node 4.x's install script looks for (any TF 2.x C library satisfies the binding). */
const EXPECTED_LIBTENSORFLOW = 'libtensorflow.so.2.9.1';
const DOWNLOAD_PROBE = 'https://storage.googleapis.com/tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz';

function step(message) {
  process.stdout.write(`setup:native: ${message}\n`);
}

class SetupError extends Error {}

function fail(message) {
  throw new SetupError(message);
}

function argument(name) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', ...options, env: { ...process.env, ...options.env } });
  return { status: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

/** The tfjs-core version the workspace uses: the addon must register into the same one. */
function tfjsVersion() {
  const manifest = run(process.execPath, ['-p', "require('@tensorflow/tfjs-core/package.json').version"]);
  if (manifest.status !== 0) fail('@tensorflow/tfjs-core is not installed: run `npm ci` first');
  return manifest.stdout.trim();
}

/** Loads the addon in a fresh process and runs one op; returns the TensorFlow version or the error. */
function probeAddon() {
  const script = `
    const tf = require('@tensorflow/tfjs-node');
    const product = tf.tensor2d([[1, 2], [3, 4]]).matMul(tf.tensor2d([[1], [1]])).dataSync();
    if (product[0] !== 3 || product[1] !== 7) throw new Error('wrong matMul result ' + Array.from(product));
    const binding = tf.backend().binding;
    process.stdout.write(JSON.stringify({ version: binding.TF_Version, graphFunctions: typeof binding.addGraphFunction === 'function' }));`;
  const probe = run(process.execPath, ['-e', script]);
  if (probe.status !== 0) return { ok: false, reason: lastLine(probe.stderr || probe.stdout) };
  return { ok: true, ...JSON.parse(probe.stdout.trim()) };
}

function lastLine(text) {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('at '));
  return lines.find((line) => /Error/.test(line)) ?? lines.at(-1) ?? 'no output';
}

async function downloadHostAnswers() {
  try {
    const response = await fetch(DOWNLOAD_PROBE, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return response.ok;
  } catch {
    return false;
  }
}

function npmInstallAddon(version, { ignoreScripts }) {
  const args = ['install', '--no-save', '--no-audit', '--no-fund', ...(ignoreScripts ? ['--ignore-scripts'] : []), `@tensorflow/tfjs-node@${version}`];
  step(`npm ${args.join(' ')}`);
  const install = run('npm', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (install.status !== 0) fail(`npm install @tensorflow/tfjs-node@${version} failed (exit ${install.status})`);
}

/** A Python that has pip, or null. */
function findPython() {
  for (const python of ['python3', 'python']) {
    if (run(python, ['-m', 'pip', '--version']).status === 0) return python;
  }
  return null;
}

/**
 * Where the TensorFlow C library comes from, in order: --tensorflow-dir / --wheel, the env vars
 * TSFX_TENSORFLOW_DIR / TSFX_TENSORFLOW_WHEEL, an installed `tensorflow` Python package, a
 * wheel already in the cache, and finally `pip download tensorflow-cpu` (the user's index or mirror).
 */
function locateTensorflow(python) {
  const dir = argument('tensorflow-dir') ?? process.env.TSFX_TENSORFLOW_DIR;
  if (dir) return { kind: 'dir', path: resolve(dir) };
  const wheel = argument('wheel') ?? process.env.TSFX_TENSORFLOW_WHEEL;
  if (wheel) return { kind: 'wheel', path: resolve(wheel) };
  if (python) {
    const spec = run(python, ['-c', "import importlib.util as u; s = u.find_spec('tensorflow'); print(s.submodule_search_locations[0] if s else '')"]);
    const installed = spec.stdout.trim();
    if (spec.status === 0 && installed && existsSync(join(installed, 'libtensorflow_cc.so.2'))) return { kind: 'dir', path: installed };
  }
  const cached = cachedWheel();
  if (cached) return { kind: 'wheel', path: cached };
  if (!python) fail('no TensorFlow C library found and no pip to fetch one: pass --wheel <tensorflow_cpu-*.whl> or --tensorflow-dir <site-packages/tensorflow>');
  step(`pip download tensorflow-cpu → ${wheelCache}`);
  mkdirSync(wheelCache, { recursive: true });
  const download = run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '-d', wheelCache, 'tensorflow-cpu'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const fetched = cachedWheel();
  if (download.status !== 0 || !fetched) fail('pip could not download tensorflow-cpu (is a PyPI index or mirror reachable?); pass --wheel <file> instead');
  return { kind: 'wheel', path: fetched };
}

function cachedWheel() {
  if (!existsSync(wheelCache)) return null;
  const wheels = readdirSync(wheelCache).filter((name) => /^tensorflow_cpu-.*\.whl$/.test(name)).sort();
  return wheels.length > 0 ? join(wheelCache, wheels.at(-1)) : null;
}

/** Extracts the C library and headers of a wheel into `target` (a wheel is a zip). */
function extractWheel(wheel, python, target) {
  step(`extracting libtensorflow and headers from ${wheel}`);
  const script = `
import sys, zipfile
wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    wanted = [n for n in z.namelist() if n.startswith('tensorflow/include/') or n in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2')]
    if 'tensorflow/libtensorflow_cc.so.2' not in wanted:
        sys.exit('the wheel has no tensorflow/libtensorflow_cc.so.2: not a TensorFlow 2.x Linux wheel')
    z.extractall(target, wanted)`;
  const extractor = python ?? 'python3';
  const extract = run(extractor, ['-c', script, wheel, target], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (extract.status !== 0) fail(`could not extract ${wheel} (exit ${extract.status})`);
  return join(target, 'tensorflow');
}

/**
 * Lays out deps/ the way the addon's build and loader expect, with copies (not links into the
 * wheel's folder) so the install is relocatable: libtensorflow.so for `-ltensorflow` at link
 * time, the SONAMEs libtensorflow_cc.so.2 / libtensorflow_framework.so.2 for the loader (the
 * binding's rpath is $ORIGIN/../../deps/lib), and the 2.9.1 name the install script checks.
 */
function stageDeps(tensorflowDir) {
  for (const file of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    if (!existsSync(join(tensorflowDir, file))) fail(`${tensorflowDir} has no ${file}: expected a TensorFlow 2.x package folder`);
  }
  if (!existsSync(join(tensorflowDir, 'include', 'tensorflow', 'c', 'c_api.h'))) fail(`${tensorflowDir}/include has no tensorflow/c/c_api.h`);
  const deps = join(addonDir, 'deps');
  const lib = join(deps, 'lib');
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(lib, { recursive: true });
  step('copying libtensorflow_cc.so.2 and libtensorflow_framework.so.2 into the addon');
  copyFileSync(join(tensorflowDir, 'libtensorflow_cc.so.2'), join(lib, 'libtensorflow_cc.so.2'));
  copyFileSync(join(tensorflowDir, 'libtensorflow_framework.so.2'), join(lib, 'libtensorflow_framework.so.2'));
  symlinkSync('libtensorflow_cc.so.2', join(lib, 'libtensorflow.so'));
  symlinkSync('libtensorflow_cc.so.2', join(lib, EXPECTED_LIBTENSORFLOW));
  symlinkSync('libtensorflow_framework.so.2', join(lib, 'libtensorflow_framework.so'));
  cpSync(join(tensorflowDir, 'include'), join(deps, 'include'), { recursive: true });
  // A custom library without a prebuilt addon makes the install script build from source.
  writeFileSync(join(addonDir, 'scripts', 'custom-binary.json'), JSON.stringify({ 'tf-lib': 'file://local-tensorflow-wheel' }));
}

/** node-gyp needs Node's headers: use the local ones when this Node has them, instead of downloading. */
function nodeHeadersEnv() {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? { npm_config_nodedir: prefix } : {};
}

function buildAddon() {
  for (const tool of ['make', 'g++']) {
    if (run('sh', ['-c', `command -v ${tool}`]).status !== 0) fail(`${tool} is not installed (needed to compile the addon): apt-get install -y build-essential`);
  }
  if (patchBinding(addonDir)) step('added tsfx graph functions to the binding source (scripts/native-binding)');
  step('compiling the tfjs-node addon against it (npm rebuild @tensorflow/tfjs-node)');
  const rebuild = run('npm', ['rebuild', '@tensorflow/tfjs-node'], { stdio: ['ignore', 'inherit', 'inherit'], env: nodeHeadersEnv() });
  if (rebuild.status !== 0) fail(`npm rebuild @tensorflow/tfjs-node failed (exit ${rebuild.status})`);
}

async function main() {
  const before = probeAddon();
  const builtHere = existsSync(join(addonDir, 'deps', 'tsfx-native.json'));
  if (before.ok && !process.argv.includes('--force') && (before.graphFunctions || !builtHere)) {
    step(`@tensorflow/tfjs-node already works (TensorFlow ${before.version}${before.graphFunctions ? ', with graph functions' : ''}); --force rebuilds it`);
    return;
  }
  if (before.ok && !before.graphFunctions && builtHere) step('the addon built here earlier has no graph functions: rebuilding it');
  const version = tfjsVersion();
  if (!process.argv.includes('--from-wheel') && (await downloadHostAnswers())) {
    step('the libtensorflow download host answers: installing @tensorflow/tfjs-node the normal way');
    npmInstallAddon(version, { ignoreScripts: false });
    const normal = probeAddon();
    if (normal.ok) return report(normal.version, 'npm (prebuilt libtensorflow download)');
    step(`the normal install does not load (${normal.reason}); building from a TensorFlow wheel instead`);
  } else {
    step('the libtensorflow download host does not answer: building from a TensorFlow wheel');
  }
  const python = findPython();
  const source = locateTensorflow(python);
  npmInstallAddon(version, { ignoreScripts: true });
  const scratch = join(addonDir, '.wheel');
  rmSync(scratch, { recursive: true, force: true });
  const tensorflowDir = source.kind === 'wheel' ? extractWheel(source.path, python, scratch) : source.path;
  step(`using the TensorFlow C library in ${tensorflowDir}`);
  stageDeps(tensorflowDir);
  rmSync(scratch, { recursive: true, force: true });
  buildAddon();
  const built = probeAddon();
  if (!built.ok) fail(`the addon was built but does not load: ${built.reason}`);
  if (!built.graphFunctions) fail('the addon was built but lacks the graph-function calls tsfx patched in');
  writeFileSync(join(addonDir, 'deps', 'tsfx-native.json'), JSON.stringify({ builtFrom: source.path, tensorflowVersion: built.version, graphFunctions: true, builtAt: new Date().toISOString() }, null, 2));
  report(built.version, `built from ${source.path}, with graph functions`);
}

function report(version, how) {
  step(`done: the tensorflow backend is available (TensorFlow ${version}, ${how}). \`npx tsfx doctor\` lists the backends.`);
}

main().catch((error) => {
  process.stderr.write(`setup:native: ${error instanceof SetupError ? error.message : error.stack}\n`);
  process.stderr.write('setup:native: the native backend is not installed; tsfx keeps using the wasm backend.\n');
  process.exit(1);
});
