import { defineStage } from '../../core/stage';
import { executeEvaluate, fingerprintServingBaseline } from './executor';
import { ZEvaluateParams } from './spec';

/** TFX Evaluator: sliced metrics on the eval split, compared with the serving model, and a blessing. */
export const evaluateStage = defineStage({
  type: 'evaluate',
  version: '1',
  description: 'metrics overall and per slice on the eval split, compared with the serving baseline; bless or not by thresholds',
  params: ZEvaluateParams,
  inputs: { examples: 'Examples', transformGraph: 'TransformGraph', model: 'Model' },
  outputs: { evaluation: 'ModelEvaluation', blessing: 'ModelBlessing' },
  // The baseline is whatever serves now: a new export must miss the cache.
  fingerprintExternal: fingerprintServingBaseline,
  execute: executeEvaluate,
});
