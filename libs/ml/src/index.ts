// Public surface of @tsfx/ml: TF.js backends and kernels, model building, training, TensorBoard
// logs, evaluation and blessing, model export. Each area's modules list what they export; this
// file names them again so the package's surface is reviewed in one place.

// Export: model directories, quantization, servables in TF Serving's layout.
export { directorySaveHandler, directoryLoadHandler, writeModelDirectory, readModelDirectory, readModelJson } from './export/directory-io';
export type { DirectorySaveOptions, WrittenModelDirectory } from './export/directory-io';
export { saveModelToDirectory, loadModelFromDirectory } from './export/save-load';
export type { SaveModelOptions } from './export/save-load';
export { quantizeWeights, affineQuantize } from './export/quantize-weights';
export type { TWeightQuantization } from './export/quantize-weights';
export { float32ToFloat16Bits, float32ArrayToFloat16 } from './export/float16';
export { weightSizeBytes, ZModelJson, ZWeightsManifestEntry, MODEL_JSON_FILE, DEFAULT_SHARD_BYTES } from './export/weights-manifest';
export type { TModelJson, WeightSizeOptions } from './export/weights-manifest';
export { writeDirectoryAtomically, writeFileDurably } from './export/atomic-fs';
export { exportServable } from './export/export-servable';
export type { ExportServableOptions, ExportedServable } from './export/export-servable';
export { readServable } from './export/read-servable';
export type { LoadedServable } from './export/read-servable';
export { SERVABLE_LAYOUT, parseVersionFolderName, readVersionNumbers, versionDirectory } from './export/servable-layout';
export { ZServableSignature, ZServableSignatureInput, ZServableLineage, ZTensorSpec, ZRawFeatureSpec, ZServableTask, ZServableQuantization } from './export/servable-signature';
export type { TServableSignature, TServableSignatureInput, TServableLineage, TTensorSpec, TRawFeatureSpec, TServableQuantization } from './export/servable-signature';
export { describeSignatureMismatches } from './export/signature-check';

// Backends: the fastest installed (tensorflow, then wasm with composed training kernels, then cpu).
export { selectBackend } from './backend/select-backend';
export type { TBackendName, TBackendSelection, TSelectBackendOptions } from './backend/select-backend';
export { availableBackends } from './backend/available-backends';
export type { TBackendAvailability } from './backend/available-backends';
export { describeBackends } from './backend/describe-backends';
export { evaluateWithGraph, predictWithGraph, releaseGraphFunctions } from './backend/native/graph-function/compiled-model';
export { CompiledTrainStep } from './backend/native/graph-function/compiled-train-step';
export type { TBackendReport, TNativeBuild } from './backend/describe-backends';

// Models: Keras-like JSON specs, DenseFeatures from the TransformGraph, templates, custom layers, compile, summary.
export {
  BUILTIN_LOSSES,
  BUILTIN_METRICS,
  BUILTIN_LAYER_TYPES,
  NUM_CLASSES,
  buildModel,
  ZCompileSpec,
  compileModel,
  IndicatorEncoding,
  MaskedSequenceMean,
  PoincareNormalization,
  ZOptimizerSpec,
  createOptimizer,
  getLearningRate,
  setLearningRate,
  customLayerNames,
  customLossNames,
  customMetricNames,
  registerCustomLayer,
  registerLoss,
  registerMetric,
  ZFunctionalLayerSpec,
  ZModelSpec,
  ZSequentialLayerSpec,
  layer,
  ZModelSummary,
  ZModelSummaryRow,
  formatModelSummary,
  summarizeModel,
  fashionMnistCnn,
  modelTemplates,
  rpsCnn,
  tabularDnn,
} from './model';
export type {
  TBuiltinLoss,
  TBuiltinMetric,
  TBuildOptions,
  TBuiltModel,
  TCompileSpec,
  TCompileSpecInput,
  TIndicatorEncodingConfig,
  TMaskedSequenceMeanConfig,
  TPoincareNormalizationConfig,
  TBuiltinLayerType,
  TLayerConfigOf,
  TOptimizerSpec,
  TCustomLayerClass,
  TCustomLayerOptions,
  TLossOrMetricFn,
  TFunctionalLayerSpec,
  TFunctionalSpec,
  TModelSpec,
  TSequentialLayerSpec,
  TSequentialSpec,
  TModelSummary,
  TModelSummaryRow,
  TModelTemplate,
  TModelTemplateName,
  TTemplateContext,
} from './model';

// Training: the fit loop, augmentation, checkpoints, learning-rate schedules.
export { fitModel, evaluateSplit, shuffledOrder } from './training/fit';
export type { TBatchEnd, TEpochEnd, TFitCallbacks, TFitOptions, TFitResult } from './training/fit';
export { ZFitConfig, ZAugmentation, ZEarlyStopping, ZLearningRateSchedule } from './training/schemas';
export type { TFitConfig, TFitConfigInput, TAugmentation, TEarlyStopping, TLearningRateSchedule, TEpochLogs } from './training/schemas';
export { augmentImages, affineFor, isAugmenting } from './training/augment';
export { learningRateAt } from './training/learning-rate';
export { saveCheckpoint, loadCheckpoint, listCheckpoints } from './training/checkpoint';
export { toModelFeed, disposeFeed } from './training/feed';
export type { TModelFeed } from './training/feed';

// TensorBoard event files (TFRecord framing, CRC-32C), Keras's train/validation layout.
export { createSummaryWriter, type SummaryWriter, type SummaryWriterOptions, type HParamsOptions } from './tensorboard/summary-writer';
export { createKerasRunWriters, KERAS_TRAIN_RUN, KERAS_VALIDATION_RUN, type KerasRunWriters } from './tensorboard/keras-run-writers';
export type { THParamValue } from './tensorboard/encode-hparams';
export type { MetricRefInput } from './tensorboard/summary-inputs';

// Inference over a split (evaluation, export's quantization check).
export { predictSplit, accuracyOf } from './inference/predict';
export type { TSplitPredictions } from './inference/predict';

// Evaluation and blessing (TFX Evaluator + TFMA semantics), from prediction batches, overall and per slice.
export { createEvaluationAccumulator, evaluateClassification, DEFAULT_MAX_SLICES_PER_FEATURE } from './evaluation/accumulator';
export type { EvaluationAccumulator, TEvaluationOptions, TSliceValueColumn } from './evaluation/accumulator';
export { compareWithBaseline, metricDiff, allSlices } from './evaluation/baseline-comparison';
export { decideBlessing, BLESSING_MESSAGES } from './evaluation/blessing';
export { formatBlessingReport } from './evaluation/blessing-report';
export { computeRocAuc } from './evaluation/roc-auc';
export { computeCalibration, DEFAULT_CALIBRATION_BINS } from './evaluation/calibration';
export { KERAS_EPSILON } from './evaluation/classification-metrics';
export { METRIC, classMetricName } from './evaluation/metric-names';
export { OVERALL_SLICE_KEY, sliceKey, describeSliceSpec } from './evaluation/slice-keys';
export { EVALUATION_SCHEMA_VERSION, ZEvaluation, ZBlessing, ZThresholdConfig, ZMetricThreshold, ZValueThreshold, ZChangeThreshold, ZSliceSpec, ZMetricDirection, ZModelRef, ZBaselineComparison, ZSliceMetrics, ZClassificationMetrics, ZThresholdCheck, ZFlatMetrics } from './evaluation/schemas';
export type { TEvaluation, TBlessing, TThresholdConfig, TThresholdConfigInput, TMetricThreshold, TValueThreshold, TChangeThreshold, TSliceSpec, TMetricDirection, TModelRef, TBaselineComparison, TMetricDiff, TSliceMetrics, TSliceValue, TClassificationMetrics, TClassMetrics, TCalibration, TThresholdCheck, TFlatMetrics } from './evaluation/schemas';
