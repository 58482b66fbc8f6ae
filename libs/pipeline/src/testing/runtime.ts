import { createTestStore } from '@tsfx/metadata/testing';
import { makeTempDir } from '@tsfx/shared/testing';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createLocalArtifactStore } from '../core/artifact-store';
import type { PipelineDefinition } from '../core/pipeline';
import type { PipelineRuntime } from '../runner/service';

/**
 * A runtime on a fresh metadata store (SQLite file or PostgreSQL database) and a fresh
 * artifact folder, with the given pipelines registered. `cleanup` removes both.
 */
export async function createTestRuntime(options: {
  kind?: 'sqlite' | 'postgresql';
  pipelines?: PipelineDefinition[];
  heartbeatMs?: number;
  staleAfterMs?: number;
  backend?: 'tensorflow' | 'wasm' | 'cpu';
}): Promise<{ runtime: PipelineRuntime; cleanup: () => Promise<void> }> {
  const dir = await makeTempDir();
  const test = await createTestStore(options.kind ?? 'sqlite');
  const runtime: PipelineRuntime = {
    store: test.store,
    artifacts: createLocalArtifactStore(join(dir, 'artifacts')),
    registry: new Map((options.pipelines ?? []).map((p) => [p.name, p])),
    cwd: dir,
    heartbeatMs: options.heartbeatMs ?? 200,
    staleAfterMs: options.staleAfterMs ?? 2000,
    settings: { modelBasePath: join(dir, 'models'), ...(options.backend ? { backend: options.backend } : {}) },
  };
  return {
    runtime,
    cleanup: async () => {
      await test.cleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
