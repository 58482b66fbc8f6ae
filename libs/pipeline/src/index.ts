// Public surface of @tsfx/pipeline: artifacts, the stage and pipeline DSL, the runner.
export {
  ARTIFACT_PROPERTIES,
  ARTIFACT_TYPE_NAMES,
  ZArtifact,
  ZArtifactTypeName,
  ZExampleAnomaliesProperties,
  ZExampleStatisticsProperties,
  ZExamplesProperties,
  ZModelBlessingProperties,
  ZModelEvaluationProperties,
  ZModelProperties,
  ZModelRunProperties,
  ZPushedModelProperties,
  ZQuarantinedExamplesProperties,
  ZSchemaProperties,
  ZTransformGraphProperties,
} from './artifacts';
export type { ArtifactOf, ArtifactProperties, ArtifactTypeName, TArtifact } from './artifacts';

export { defineStage, channelType, isOptionalChannel } from './core/stage';
export type {
  AnyStageDefinition,
  ChannelSpec,
  ChannelSpecs,
  ExecutorContext,
  StageSettings,
  ExecutorOutputs,
  LogLevel,
  MetricWriter,
  ProgressReporter,
  ProgressUpdate,
  ResolvedArtifact,
  ResolvedInputs,
  StageDefinition,
  StageLogger,
} from './core/stage';
export { compileNodes, compilePipeline, coerceParams, definePipeline, parseParamAssignments } from './core/pipeline';
export type {
  CompiledNode,
  CompiledPipeline,
  InputWiring,
  NodeHandle,
  OutputRef,
  PipelineBuilder,
  PipelineDefinition,
  PipelineNodeSpec,
} from './core/pipeline';
export { createLocalArtifactStore, fingerprintDirectory } from './core/artifact-store';
export type { ArtifactStore } from './core/artifact-store';
export { canonicalJson, computeCacheKey } from './core/cache-key';

export { executeRun } from './runner/execute-run';
export type { ExecuteRunOptions, RunOutcome } from './runner/execute-run';
export type { ProgressSnapshot, RunObserver, StageOutcome } from './runner/observer';
export { describeProgress, formatSeconds } from './runner/telemetry';
export {
  formatPipelineSource,
  loadPipeline,
  parsePipelineSource,
  resolvePipelineArgument,
} from './runner/registry';
export type { PipelineRegistry, PipelineSource } from './runner/registry';
export {
  cancelRun,
  compileRun,
  reapStaleRuns,
  resumeRun,
  runQueuedRun,
  startWorker,
  submitRun,
} from './runner/service';
export type { PipelineRuntime, SubmitRunRequest, Worker } from './runner/service';
export { addDataQualityStages, addModelStages, createBuiltinRegistry, csvPipeline, fashionMnistPipeline, penguinsPipeline, rockPaperScissorsPipeline } from './pipelines';
export { zFilePath } from './core/params';
export {
  ZIngestParams,
  ZSchemaParams,
  ZStatisticsParams,
  ZTransformParams,
  ZValidateParams,
  anomaliesPath,
  ingestStage,
  schemaPath,
  schemaStage,
  statisticsPath,
  statisticsStage,
  transformGraphPath,
  transformStage,
  validateStage,
  trainStage,
  evaluateStage,
  exportStage,
  ZTrainParams,
  ZEvaluateParams,
  ZExportParams,
  TRAIN_TAGS,
  modelDir,
  modelSummaryPath,
  tensorboardLogdir,
  trainingHistoryPath,
  checkpointsDir,
  evaluationPath,
  blessingPath,
} from './stages';
