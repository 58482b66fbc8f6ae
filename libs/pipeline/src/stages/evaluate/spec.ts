import { z } from 'zod';
import { ZThresholdConfig } from '@tsfx/ml';

/** Channels of the evaluate stage (TFX Evaluator). */
export const EVALUATE = {
  inputs: { examples: 'examples', transformGraph: 'transform_graph', model: 'model' },
  outputs: { evaluation: 'evaluation', blessing: 'blessing' },
} as const;

export const ZEvaluateParams = z.object({
  /** The model name it would be served under: the baseline is that model's serving version. */
  modelName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash, underscore'),
  evalSplit: z.string().min(1).default('eval'),
  /** Raw features to slice metrics by (each distinct value a slice; numbers by value). The label is always a slicing. */
  sliceBy: z.array(z.string().min(1)).default([]),
  /** Value and change thresholds (TFX semantics). None → the model is never blessed. */
  thresholds: ZThresholdConfig.shape.thresholds,
  /** Rows per forward pass. */
  batchSize: z.number().int().positive().default(256),
});
export type TEvaluateParams = z.output<typeof ZEvaluateParams>;

export function evaluationPath(uri: string): string {
  return `${uri}/evaluation.json`;
}

export function blessingPath(uri: string): string {
  return `${uri}/blessing.json`;
}
