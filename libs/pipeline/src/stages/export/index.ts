import { defineStage } from '../../core/stage';
import { executeExport, fingerprintModelFolder } from './executor';
import { ZExportParams } from './spec';

/** TFX Pusher: a blessed model becomes a new version in TF Serving's layout, written atomically. */
export const exportStage = defineStage({
  type: 'export',
  version: '1',
  description: 'export a blessed model as <model base path>/<name>/<version>/ (model, transform graph, schema, signature, evaluation, lineage)',
  params: ZExportParams,
  inputs: {
    model: 'Model',
    blessing: 'ModelBlessing',
    transformGraph: 'TransformGraph',
    schema: 'Schema',
    evaluation: 'ModelEvaluation',
    examples: 'Examples',
  },
  outputs: { pushed: { type: 'PushedModel', optional: true } },
  // What is already exported decides the next version: never reuse an old export from the cache.
  fingerprintExternal: fingerprintModelFolder,
  execute: executeExport,
});
