#!/usr/bin/env node
// `npm test`: installs what the tests need, starts a private PostgreSQL, then runs the
// schema/migration check, typecheck, lint, and the unit, integration and e2e suites, and
// ends with one line `N passed, N failed`. Each static check counts as one test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nxFlags = ['--skip-nx-cache', '--outputStyle=static'];
const results = [];

function log(message) {
  process.stdout.write(`\n=== ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...options.env } });
  return result.status ?? 1;
}

function ensureDependencies() {
  if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
    log('installing npm dependencies (npm ci)');
    if (run('npm', ['ci', '--no-audit', '--no-fund']) !== 0) throw new Error('npm ci failed');
  }
  const debianNeeds = [
    { pkg: 'postgresql', present: () => findPgBin() !== null },
    { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
    { pkg: 'dataset-fashion-mnist', present: () => existsSync('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz') },
  ];
  const missing = debianNeeds.filter((need) => !need.present()).map((need) => need.pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(', ')}; install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing Debian packages: ${missing.join(', ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], { env }) !== 0) throw new Error('apt-get update failed');
  if (run('apt-get', ['install', '-y', '-qq', ...missing], { env }) !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
}

function findPgBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  for (const version of readdirSafe(base).sort().reverse()) {
    if (existsSync(join(base, version, 'bin', 'initdb'))) return join(base, version, 'bin');
  }
  return null;
}

function readdirSafe(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function check(name, command, args, env = {}) {
  log(name);
  const status = run(command, args, { env });
  results.push({ name, passed: status === 0 });
  process.stdout.write(`${status === 0 ? '✔' : '✖'} ${name}\n`);
}

function runVitest(pgUrl) {
  log('vitest: unit, integration and e2e suites');
  const reportDir = join(root, '.tsfx', 'test-report');
  mkdirSync(reportDir, { recursive: true });
  const reportFile = join(reportDir, 'vitest.json');
  rmSync(reportFile, { force: true });
  const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`], {
    env: { TSFX_TEST_PG_URL: pgUrl, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (!existsSync(reportFile)) {
    results.push({ name: 'vitest (no report: the runner crashed)', passed: false });
    return;
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'skipped' || test.status === 'pending' || test.status === 'todo') {
        // Skipped tests hide gaps: they count as failures here.
        results.push({ name: test.fullName, passed: false });
      } else {
        results.push({ name: test.fullName, passed: test.status === 'passed' });
      }
    }
    if ((file.assertionResults ?? []).length === 0 && file.status !== 'passed') {
      results.push({ name: `${file.name} (failed to load: ${file.message ?? 'unknown'})`, passed: false });
    }
  }
  if (status !== 0 && results.every((r) => r.passed)) results.push({ name: 'vitest exit status', passed: false });
}

/**
 * Builds the optional native TensorFlow backend (`npm run setup:native`) so the backend parity
 * suite and the default-backend scenes run on it too. When it cannot be built here, the suites
 * run on wasm and cpu, and the output says why. TSFX_TEST_NATIVE=0 skips the attempt.
 */
function ensureNativeBackend() {
  if (process.env.TSFX_TEST_NATIVE === '0') {
    log('native TensorFlow backend: not attempted (TSFX_TEST_NATIVE=0); tests run on wasm and cpu');
    return;
  }
  log('native TensorFlow backend: npm run setup:native');
  const status = run('node', ['scripts/setup-native.mjs']);
  process.stdout.write(
    status === 0
      ? 'native TensorFlow backend: available — the parity suite covers tensorflow, wasm and cpu\n'
      : 'native TensorFlow backend: NOT available on this machine (setup:native said why above) — tests run on wasm and cpu only\n',
  );
}

async function main() {
  ensureDependencies();
  ensureNativeBackend();
  const { startPgServer } = await import('./pg-test-server.mjs');
  log('starting a private PostgreSQL on 127.0.0.1');
  const pg = await startPgServer();
  process.stdout.write(`PostgreSQL at ${pg.url.replace(/:[^:@/]*@/, ':***@')}\n`);
  const stop = async () => pg.stop().catch(() => undefined);
  process.on('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    check('prisma schema matches the committed migrations (sqlite + postgresql)', 'node', ['scripts/db-check.mjs'], {
      TSFX_TEST_PG_URL: pg.url,
    });
    check('typecheck (nx run-many -t typecheck)', 'npx', ['nx', 'run-many', '-t', 'typecheck', ...nxFlags]);
    check('typecheck of tests/ and bench/ (tsc -p tsconfig.json)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
    check('lint (nx run-many -t lint, module boundaries)', 'npx', ['nx', 'run-many', '-t', 'lint', ...nxFlags]);
    runVitest(pg.url);
  } finally {
    await stop();
  }
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) {
    process.stdout.write(`\nfailed:\n${failed.map((r) => `  ✖ ${r.name}`).join('\n')}\n`);
  }
  process.stdout.write(`\n${results.length - failed.length} passed, ${failed.length} failed\n`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`npm test could not run: ${error instanceof Error ? error.message : String(error)}\n`);
  process.stdout.write(`\n0 passed, 1 failed\n`);
  process.exitCode = 1;
});
