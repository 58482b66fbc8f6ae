import { registerCustomLayer } from '../registry';
import { IndicatorEncoding, ZIndicatorEncodingConfig } from './indicator-encoding';
import { MaskedSequenceMean, ZMaskedSequenceMeanConfig } from './masked-sequence-mean';
import { PoincareNormalization, ZPoincareNormalizationConfig } from './poincare-normalization';

// Registered when this module loads, which importing @tsfx/ml does: a saved model that uses
// them then loads back by name (the model server imports @tsfx/ml before loading).
registerCustomLayer(PoincareNormalization, { configSchema: ZPoincareNormalizationConfig });
registerCustomLayer(MaskedSequenceMean, { configSchema: ZMaskedSequenceMeanConfig, inputs: 2 });
registerCustomLayer(IndicatorEncoding, { configSchema: ZIndicatorEncodingConfig });

export { IndicatorEncoding, MaskedSequenceMean, PoincareNormalization };
export type { TIndicatorEncodingConfig } from './indicator-encoding';
export type { TMaskedSequenceMeanConfig } from './masked-sequence-mean';
export type { TPoincareNormalizationConfig } from './poincare-normalization';
