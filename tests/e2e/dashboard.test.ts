import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDashboard, dashboardBuildStaleReason, startTsfxServices, type TsfxServices } from '@tsfx/api';
import { loadConfig } from '@tsfx/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type TLaunchedChromium } from './support/chromium';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOT_PATH = '/tmp/tsfx-dashboard.png';
const RUNNING_SCREENSHOT_PATH = '/tmp/tsfx-dashboard-running.png';
const EPOCHS = 40;

/**
 * A pipeline file as a user would write one, outside the repository. It imports tsfx and zod by
 * absolute path because a temp folder has no node_modules. The fit stage sleeps a little per
 * epoch so the browser can watch it run.
 */
const PIPELINE_SOURCE = `
import { definePipeline, defineStage } from ${JSON.stringify(join(REPO_ROOT, 'libs/pipeline/src/index.ts'))};
import { z } from ${JSON.stringify(join(REPO_ROOT, 'node_modules/zod/index.js'))};
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const generate = defineStage({
  type: 'generate',
  version: '1',
  description: 'noisy points of y = 3x + 1',
  params: z.object({ rows: z.number().int().min(2) }),
  inputs: {},
  outputs: { examples: 'Examples' },
  async execute(ctx, _inputs, params) {
    const rows = Array.from({ length: params.rows }, (_, i) => ({ x: i / params.rows, y: (3 * i) / params.rows + 1 + 0.05 * Math.sin(i) }));
    await writeFile(join(ctx.outputs.examples.uri, 'data.json'), JSON.stringify(rows));
    ctx.logger.info('wrote ' + rows.length + ' rows');
    return { examples: { span: 0, splitNames: ['train'], rowCounts: { train: rows.length }, sourceFingerprint: 'gen-' + rows.length,
      columns: [{ name: 'x', type: 'float' }, { name: 'y', type: 'float' }] } };
  },
});

const fit = defineStage({
  type: 'fit',
  version: '1',
  description: 'fits a line by gradient descent',
  params: z.object({ epochs: z.number().int().min(1), delayMs: z.number().int().min(0) }),
  inputs: { examples: 'Examples' },
  outputs: { modelRun: 'ModelRun' },
  async execute(ctx, inputs, params) {
    const rows = JSON.parse(await readFile(join(inputs.examples.uri, 'data.json'), 'utf8'));
    let a = 0, b = 0;
    for (let epoch = 1; epoch <= params.epochs; epoch++) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      let gradA = 0, gradB = 0, loss = 0;
      for (const { x, y } of rows) { const e = a * x + b - y; loss += e * e; gradA += 2 * e * x; gradB += 2 * e; }
      a -= (0.5 * gradA) / rows.length;
      b -= (0.5 * gradB) / rows.length;
      ctx.metrics.write([{ tag: 'loss', step: epoch, value: loss / rows.length }]);
      ctx.progress.update({ done: epoch, total: params.epochs, unit: 'epochs' });
      await new Promise((resolve) => setTimeout(resolve, params.delayMs));
    }
    await writeFile(join(ctx.outputs.modelRun.uri, 'fit.json'), JSON.stringify({ a, b }));
    ctx.logger.info('fitted a=' + a.toFixed(3) + ' b=' + b.toFixed(3));
    return { modelRun: { epochs: params.epochs, stoppedEarly: false, resumedFromEpoch: 0, final: {} } };
  },
});

export default definePipeline({
  name: 'line-fit',
  description: 'generate points, fit a line',
  params: z.object({
    rows: z.number().int().min(2).default(200).describe('points to generate'),
    epochs: z.number().int().min(1).default(10),
    delayMs: z.number().int().min(0).default(100),
  }),
  build(p, params) {
    const g = p.stage(generate, { params: { rows: params.rows } });
    p.stage(fit, { inputs: { examples: g.outputs.examples }, params: { epochs: params.epochs, delayMs: params.delayMs } });
  },
});
`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls a value in the page until `isDone`, recording every distinct value seen on the way. */
async function watch(read: () => Promise<string | null>, isDone: (value: string | null) => boolean, timeoutMs: number): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null && seen.at(-1) !== value) seen.push(value);
    if (isDone(value)) return seen;
    if (Date.now() > deadline) throw new Error(`timed out; values seen: ${seen.join(' → ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('dashboard in a browser, served by startTsfxServices', () => {
  let home: string;
  let pipelineFile: string;
  let services: TsfxServices;
  let browser: TLaunchedChromium;
  let page: Page;
  const serviceLog: string[] = [];

  beforeAll(async () => {
    // Build once, and only when the sources changed since the last build (next build takes ~1 min).
    if (dashboardBuildStaleReason() !== null) await buildDashboard({ log: (line) => serviceLog.push(line) });
    home = await mkdtemp(join(tmpdir(), 'tsfx-e2e-dashboard-'));
    pipelineFile = join(home, 'line-fit.ts');
    await writeFile(pipelineFile, PIPELINE_SOURCE);
    const config = loadConfig(
      {
        TSFX_HOME: join(home, '.tsfx'),
        TSFX_API_PORT: String(await freePort()),
        TSFX_DASHBOARD_PORT: String(await freePort()),
        TSFX_WORKER_POLL_MS: '200',
        TSFX_HEARTBEAT_MS: '500',
      },
      home,
    );
    services = await startTsfxServices({ config, cwd: home, build: 'never', log: (line) => serviceLog.push(line) });
    browser = await launchChromium();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await services?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('starts a run from the form and shows it live until COMPLETE, with its training curve', async () => {
    await page.goto(`${services.dashboardUrl}/runs/new`);
    await page.selectOption('#pipeline', '__file__');
    await page.fill('#pipeline-file', pipelineFile);
    await page.click('text=Load params');
    await page.waitForSelector('legend:has-text("Params of line-fit")');
    expect(await page.inputValue('#param-rows')).toBe('200');
    await page.fill('#param-epochs', String(EPOCHS));
    await page.fill('#param-delayMs', '100');
    await page.click('button[type=submit]');

    await page.waitForURL(/\/runs\/run_[0-9a-z]+$/, { timeout: 30_000 });
    const runId = page.url().split('/').at(-1) ?? '';
    // A marker on the window proves the page is never reloaded while the states change.
    await page.evaluate(() => {
      (window as unknown as { tsfxMarker: string }).tsfxMarker = 'same page';
    });

    // While fit runs, its card shows a live progress bar and the curve grows.
    await page.waitForSelector('[data-testid="stage-fit"][data-state="RUNNING"] [data-testid="stage-progress"]', { timeout: 30_000 });
    await page.screenshot({ path: RUNNING_SCREENSHOT_PATH, fullPage: true });
    const fitStates = await watch(
      () => page.getAttribute('[data-testid="stage-fit"]', 'data-state'),
      (state) => state === 'COMPLETE',
      60_000,
    );
    // The stage was seen running (with a progress bar) before it completed, on the same page.
    expect(fitStates).toContain('RUNNING');
    expect(fitStates.at(-1)).toBe('COMPLETE');
    expect(fitStates.indexOf('RUNNING')).toBeLessThan(fitStates.indexOf('COMPLETE'));
    await page.waitForSelector('[data-testid="run-state"][data-state="COMPLETE"]', { timeout: 10_000 });
    expect(await page.getAttribute('[data-testid="stage-generate"]', 'data-state')).toBe('COMPLETE');
    expect(await page.evaluate(() => (window as unknown as { tsfxMarker?: string }).tsfxMarker)).toBe('same page');

    // The curve holds every point the API has for the run.
    const series = page.locator('[data-testid="metric-chart"][data-tag="loss"] [data-testid="metric-series"][data-tag="loss"]');
    await expect.poll(() => series.getAttribute('data-point-count'), { timeout: 10_000 }).toBe(String(EPOCHS));
    const polyline = await series.locator('polyline').getAttribute('points');
    const drawn = (polyline ?? '').trim().split(/\s+/).map((pair) => pair.split(',').map(Number));
    expect(drawn).toHaveLength(EPOCHS);
    const response = await fetch(`${services.apiUrl}/trpc/runs.metrics?input=${encodeURIComponent(JSON.stringify({ runId, tags: ['loss'] }))}`);
    const { result } = (await response.json()) as { result: { data: { points: { step: number; value: number }[] } } };
    expect(result.data.points).toHaveLength(EPOCHS);
    // Loss falls, so the line ends lower on the chart (a larger SVG y) than it starts.
    expect(drawn.at(-1)?.[1]).toBeGreaterThan(drawn[0]?.[1] ?? Infinity);

    const logText = await page.textContent('[data-testid="log-panel"]');
    expect(logText).toContain('wrote 200 rows');
    expect(logText).toMatch(/fitted a=/);

    await page.screenshot({ path: SCREENSHOT_PATH, fullPage: true });

    // Artifacts link to their lineage.
    const examplesLink = page.locator('[data-testid="artifact-table"] tr', { hasText: 'Examples' }).locator('[data-testid="artifact-lineage-link"]');
    await examplesLink.click();
    await page.waitForSelector('[data-testid="lineage"]');
    const lineage = await page.textContent('[data-testid="lineage"]');
    expect(lineage).toContain('generate');
    expect(lineage).toContain('fit');
    expect(lineage).toContain('ModelRun');
    expect(browser.consoleLines.filter((line) => line.startsWith('[pageerror]'))).toEqual([]);
  });

  it('shows runs started elsewhere on the runs list and refreshes it until they finish', async () => {
    await page.goto(`${services.dashboardUrl}/runs`);
    const response = await fetch(`${services.apiUrl}/trpc/runs.start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pipeline: pipelineFile, params: { epochs: 8, delayMs: 100, rows: 50 } }),
    });
    const { result } = (await response.json()) as { result: { data: { run: { id: string } } } };
    const runId = result.data.run.id;
    const states = await watch(
      () => page.getAttribute(`[data-testid="run-row"][data-run-id="${runId}"] [data-testid="run-state"]`, 'data-state'),
      (state) => state === 'COMPLETE',
      60_000,
    );
    expect(states.at(-1)).toBe('COMPLETE');
    expect(await page.locator('[data-testid="run-row"]').count()).toBe(2);
  });

  it('shows a 4xx from the API in the form instead of starting a run', async () => {
    await page.goto(`${services.dashboardUrl}/runs/new`);
    await page.selectOption('#pipeline', '__file__');
    await page.fill('#pipeline-file', join(home, 'missing.ts'));
    await page.click('button[type=submit]');
    const error = await page.waitForSelector('[data-testid="start-run-error"]');
    expect(await error.textContent()).toContain('pipeline file not found');
    expect(page.url()).toMatch(/\/runs\/new$/);
  });

  it('lists models and deployments, empty before any export', async () => {
    await page.goto(`${services.dashboardUrl}/models`);
    await page.waitForSelector('[data-testid="models-empty"]');
    await page.waitForSelector('[data-testid="deployments-empty"]');
  });

  it('answers an unknown run with the not-found page', async () => {
    await page.goto(`${services.dashboardUrl}/runs/run_doesnotexist`);
    // The run page streams (loading.tsx), so the status is already 200 when the API says 404;
    // Next renders the not-found UI and marks the page noindex instead.
    await page.waitForSelector('h1:has-text("Not found")');
    expect(await page.getAttribute('meta[name="robots"]', 'content')).toBe('noindex');
  });

  it('stops the API, the worker and the dashboard', async () => {
    const { apiUrl, dashboardUrl } = services;
    await services.stop();
    await expect(fetch(`${apiUrl}/healthz`)).rejects.toThrow();
    await expect(fetch(`${dashboardUrl}/api/health`)).rejects.toThrow();
  });
});
