import { z } from 'zod';

/** Channels of the export stage (TFX Pusher). */
export const EXPORT = {
  inputs: { model: 'model', blessing: 'blessing', transformGraph: 'transform_graph', schema: 'schema', evaluation: 'evaluation', examples: 'examples' },
  outputs: { pushed: 'pushed_model' },
} as const;

export const ZExportParams = z.object({
  /** Exported to `<model base path>/<modelName>/<version>/`. */
  modelName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore'),
  /**
   * Quantize the weights for small devices (TF.js weight-manifest quantization, the talk's
   * TF Lite use): the accuracy change on the eval split is measured and reported.
   */
  quantize: z.enum(['none', 'float16', 'uint8']).default('none'),
  evalSplit: z.string().min(1).default('eval'),
});
export type TExportParams = z.output<typeof ZExportParams>;
