// The built-in stages, one folder each (spec + executor + test).
export { ingestStage } from './ingest';
export { statisticsStage } from './statistics';
export { schemaStage } from './schema';
export { validateStage } from './validate';
export { transformStage } from './transform';
export { ZIngestParams } from './ingest/spec';
export { ZStatisticsParams, statisticsPath } from './statistics/spec';
export { ZSchemaParams, schemaPath } from './schema/spec';
export { ZValidateParams, anomaliesPath } from './validate/spec';
export { ZTransformParams, transformGraphPath } from './transform/spec';
export { trainStage } from './train';
export { evaluateStage } from './evaluate';
export { exportStage } from './export';
export { ZTrainParams, modelDir, modelSummaryPath, tensorboardLogdir, trainingHistoryPath, checkpointsDir } from './train/spec';
export { TRAIN_TAGS } from './train/executor';
export { ZEvaluateParams, evaluationPath, blessingPath } from './evaluate/spec';
export { ZExportParams } from './export/spec';
