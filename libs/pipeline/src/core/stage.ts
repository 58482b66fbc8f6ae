import type { z } from 'zod';
import type { ArtifactProperties, ArtifactTypeName } from '../artifacts';

/**
 * A channel of a stage: the artifact type it carries, and whether it may be absent
 * (an optional input such as a baseline model, an output such as a PushedModel that an
 * unblessed model does not produce).
 */
export type ChannelSpec = ArtifactTypeName | { readonly type: ArtifactTypeName; readonly optional: true };
export type ChannelSpecs = Readonly<Record<string, ChannelSpec>>;

export type ChannelType<C extends ChannelSpec> = C extends ArtifactTypeName
  ? C
  : C extends { type: infer T extends ArtifactTypeName }
    ? T
    : never;
type IsOptional<C extends ChannelSpec> = C extends { optional: true } ? true : false;

/** An artifact as an executor sees it: where its files are, and its typed properties. */
export type ResolvedArtifact<T extends ArtifactTypeName = ArtifactTypeName> = {
  readonly id: string;
  readonly type: T;
  readonly uri: string;
  readonly properties: ArtifactProperties<T>;
};

export type ResolvedInputs<I extends ChannelSpecs> = {
  readonly [K in keyof I]: IsOptional<I[K]> extends true
    ? ResolvedArtifact<ChannelType<I[K]>> | undefined
    : ResolvedArtifact<ChannelType<I[K]>>;
};

/** What an executor returns: the properties of each output it wrote (null for an absent optional one). */
export type ExecutorOutputs<O extends ChannelSpecs> = {
  [K in keyof O]: IsOptional<O[K]> extends true
    ? ArtifactProperties<ChannelType<O[K]>> | null
    : ArtifactProperties<ChannelType<O[K]>>;
};

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type StageLogger = Record<LogLevel, (message: string) => void>;

/** A progress update; the reporter derives rate and ETA from successive `done` values. */
export type ProgressUpdate = {
  done: number;
  total?: number;
  /** What `done` counts: rows, bytes, epochs, batches… */
  unit: string;
  message?: string;
};

export type ProgressReporter = {
  update(update: ProgressUpdate): void;
};

export type MetricWriter = {
  /** Stores scalar points with the run (training curves, throughput); buffered, written in bulk. */
  write(points: readonly { tag: string; step: number; value: number; wallTime?: Date }[]): void;
};

/**
 * Deployment settings an executor may need, from the app's validated configuration (executors
 * never read `process.env`): where exported models go, which TF.js backend to use.
 */
export type StageSettings = {
  /** TF Serving's model base path: exports land in `<modelBasePath>/<modelName>/<version>/`. */
  readonly modelBasePath: string;
  /** Force a TF.js backend (TSFX_BACKEND); undefined picks the fastest installed. */
  readonly backend?: 'tensorflow' | 'wasm' | 'cpu';
};

/**
 * Everything an executor may touch. Executors never see the database or `process.env`:
 * the driver owns I/O and lineage (TFX's BaseDriver), the executor owns logic.
 */
export type ExecutorContext<O extends ChannelSpecs = ChannelSpecs> = {
  readonly runId: string;
  readonly pipelineName: string;
  readonly stageId: string;
  /** One empty directory per output channel, created by the driver; moved into place on success. */
  readonly outputs: { readonly [K in keyof O]: { readonly uri: string } };
  readonly logger: StageLogger;
  readonly progress: ProgressReporter;
  readonly metrics: MetricWriter;
  /**
   * Outputs of this stage's latest COMPLETE execution in an earlier run of the same pipeline
   * (the driver looks it up, as TFX's does for spans): an ingest numbers spans with it.
   */
  readonly previous: { readonly [K in keyof O]?: ResolvedArtifact<ChannelType<O[K]>> };
  /**
   * Scratch space of this stage in this run that survives a failed or killed attempt (and is
   * dropped when the stage completes): where training keeps its per-epoch checkpoints so a
   * resumed run continues from the last one.
   */
  readonly workDir: string;
  readonly settings: StageSettings;
  /** Aborted when the run is cancelled; long loops must check it. */
  readonly signal: AbortSignal;
  readonly now: () => Date;
};

/**
 * A typed pipeline component: zod schema for its params, artifact types of its inputs and
 * outputs, and a pure async executor. The `version` is part of the cache key: bump it when
 * the executor's results change for the same inputs.
 */
export type StageDefinition<
  P extends z.ZodType = z.ZodType,
  I extends ChannelSpecs = ChannelSpecs,
  O extends ChannelSpecs = ChannelSpecs,
> = {
  readonly type: string;
  readonly version: string;
  readonly description: string;
  readonly params: P;
  readonly inputs: I;
  readonly outputs: O;
  /**
   * Fingerprint of anything outside the artifact store the stage reads (a source file),
   * so a changed source misses the cache. Runs in the driver, before the executor.
   */
  readonly fingerprintExternal?: (params: z.output<P>, settings: StageSettings) => Promise<string>;
  readonly execute: (
    ctx: ExecutorContext<O>,
    inputs: ResolvedInputs<I>,
    params: z.output<P>,
  ) => Promise<ExecutorOutputs<O>>;
};

// `any` here is the erased form used by registries and the runner, where each stage's
// types were already checked at its definition and wiring.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyStageDefinition = StageDefinition<any, any, any>;

/** Identity with inference: `defineStage({...})` keeps the literal channel types. */
export function defineStage<P extends z.ZodType, const I extends ChannelSpecs, const O extends ChannelSpecs>(
  definition: StageDefinition<P, I, O>,
): StageDefinition<P, I, O> {
  return definition;
}

export function channelType(spec: ChannelSpec): ArtifactTypeName {
  return typeof spec === 'string' ? spec : spec.type;
}

export function isOptionalChannel(spec: ChannelSpec): boolean {
  return typeof spec !== 'string' && spec.optional;
}
