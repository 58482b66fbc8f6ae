// Model definition: JSON specs, DenseFeatures, templates, custom layers/losses/metrics, compile, summary.
import './custom-layers';

export { BUILTIN_LOSSES, BUILTIN_METRICS } from './builtin-names';
export type { TBuiltinLoss, TBuiltinMetric } from './builtin-names';
export { buildModel } from './build';
export type { TBuildOptions, TBuiltModel } from './build';
export { ZCompileSpec, compileModel } from './compile';
export type { TCompileSpec, TCompileSpecInput } from './compile';
export { IndicatorEncoding, MaskedSequenceMean, PoincareNormalization } from './custom-layers';
export type { TIndicatorEncodingConfig, TMaskedSequenceMeanConfig, TPoincareNormalizationConfig } from './custom-layers';
export { BUILTIN_LAYER_TYPES, NUM_CLASSES } from './layer-configs';
export type { TBuiltinLayerType, TLayerConfigOf } from './layer-configs';
export { ZOptimizerSpec, createOptimizer, getLearningRate, setLearningRate } from './optimizer';
export type { TOptimizerSpec } from './optimizer';
export {
  customLayerNames,
  customLossNames,
  customMetricNames,
  registerCustomLayer,
  registerLoss,
  registerMetric,
} from './registry';
export type { TCustomLayerClass, TCustomLayerOptions, TLossOrMetricFn } from './registry';
export { ZFunctionalLayerSpec, ZModelSpec, ZSequentialLayerSpec, layer } from './spec';
export type { TFunctionalLayerSpec, TFunctionalSpec, TModelSpec, TSequentialLayerSpec, TSequentialSpec } from './spec';
export { ZModelSummary, ZModelSummaryRow, formatModelSummary, summarizeModel } from './summary';
export type { TModelSummary, TModelSummaryRow } from './summary';
export { fashionMnistCnn, modelTemplates, rpsCnn, tabularDnn } from './templates';
export type { TModelTemplate, TModelTemplateName, TTemplateContext } from './templates';
