import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openMetadataStore, type MetadataStore } from '@tsfx/metadata';
import { createBuiltinRegistry, createLocalArtifactStore, reapStaleRuns, type PipelineRuntime } from '@tsfx/pipeline';
import { loadConfig, toPipelineError, type TsfxConfig } from '@tsfx/shared';
import { EXIT_CODES } from './exit-codes';

export type CliIo = {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: Record<string, string | undefined>;
  cwd: string;
};

export type CliContext = CliIo & {
  config: TsfxConfig;
  isJson: boolean;
  /** Opens the metadata store once per command and marks dead workers' runs FAILED. */
  runtime(): Promise<PipelineRuntime>;
  close(): Promise<void>;
  print(text: string): void;
  printJson(value: unknown): void;
};

export function createCliContext(io: CliIo, isJson: boolean): CliContext {
  const config = loadConfig(io.env, io.cwd);
  let store: MetadataStore | null = null;
  let runtime: PipelineRuntime | null = null;
  return {
    ...io,
    config,
    isJson,
    async runtime() {
      if (runtime) return runtime;
      store = await openMetadataStore({ url: config.databaseUrl });
      runtime = {
        store,
        artifacts: createLocalArtifactStore(config.artifactRoot),
        registry: createBuiltinRegistry(),
        cwd: io.cwd,
        heartbeatMs: config.heartbeatMs,
        staleAfterMs: config.staleAfterMs,
        settings: { modelBasePath: config.modelBasePath, ...(config.backend ? { backend: config.backend } : {}) },
      };
      await reapStaleRuns(runtime);
      return runtime;
    },
    async close() {
      await store?.close();
      store = null;
      runtime = null;
    },
    print(text) {
      if (!isJson) io.stdout.write(`${text}\n`);
    },
    printJson(value) {
      io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

/**
 * The CLI's one error edge: a user error prints one line (what was expected, what arrived)
 * and exits with the code mapped from its domain code; stack traces go to the log file only.
 */
export function reportError(io: CliIo, error: unknown, isJson: boolean, logDir: string | null): number {
  const domain = toPipelineError(error);
  if (logDir) {
    try {
      mkdirSync(logDir, { recursive: true });
      const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
      appendFileSync(join(logDir, 'cli.log'), `${new Date().toISOString()} ${domain.code} ${stack}\n`);
    } catch {
      // Logging must never hide the error itself.
    }
  }
  if (isJson) io.stdout.write(`${JSON.stringify({ error: domain.toJSON() }, null, 2)}\n`);
  else io.stderr.write(`error: ${domain.message}\n`);
  return EXIT_CODES[domain.code];
}
