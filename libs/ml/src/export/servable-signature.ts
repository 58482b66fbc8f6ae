/**
 * Wire schemas of a servable version's metadata: `signature.json` (what goes in, what comes out,
 * how it was made: the server validates requests and labels predictions with it) and
 * `lineage.json` (which run and artifacts it came from).
 */
import { z } from 'zod';

/** A dimension: a size, or null where any size goes (the batch dimension). */
const ZDimension = z.number().int().nonnegative().nullable();

/** A raw feature as a client sends it, before the transform graph turns it into tensors. */
export const ZRawFeatureSpec = z.object({
  name: z.string().min(1),
  dtype: z.enum(['number', 'string', 'image']),
  /** Per example: [] for a scalar, e.g. [28, 28] or [28, 28, 1] for an image. */
  shape: z.array(ZDimension),
});
export type TRawFeatureSpec = z.infer<typeof ZRawFeatureSpec>;

/** A model input or output tensor, batch dimension included (null). */
export const ZTensorSpec = z.object({
  name: z.string().min(1),
  dtype: z.enum(['float32', 'int32', 'bool']),
  shape: z.array(ZDimension).min(1),
});
export type TTensorSpec = z.infer<typeof ZTensorSpec>;

export const ZServableTask = z.enum(['classification', 'regression']);
export type TServableTask = z.infer<typeof ZServableTask>;

/** How the weights are stored: 'none' is plain float32. */
export const ZServableQuantization = z.enum(['none', 'float16', 'uint8', 'uint16']);
export type TServableQuantization = z.infer<typeof ZServableQuantization>;

/** A file of the servable besides the model, with what it must still be when read back. */
export const ZServableFile = z.object({
  name: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  crc32c: z.number().int().nonnegative(),
});
export type TServableFile = z.infer<typeof ZServableFile>;

/** The part of the signature the caller describes; the exporter fills in the rest. */
const signatureInputShape = {
  task: ZServableTask,
  inputs: z.object({
    raw: z.array(ZRawFeatureSpec).min(1),
    /** The transform graph's outputs, in the order of the model's inputs. */
    transformed: z.array(ZTensorSpec).min(1),
  }),
  outputs: z.array(ZTensorSpec).min(1),
  /** Class names in output index order; empty for regression. */
  classLabels: z.array(z.string().min(1)),
};

type SignatureTaskFields = { task: TServableTask; classLabels: string[] };

function checkClassLabels(value: SignatureTaskFields, ctx: z.RefinementCtx): void {
  if (value.task === 'classification') {
    if (value.classLabels.length < 2) {
      ctx.addIssue({ code: 'custom', path: ['classLabels'], message: `a classifier needs at least 2 class labels, got ${value.classLabels.length}` });
    }
    if (new Set(value.classLabels).size !== value.classLabels.length) {
      ctx.addIssue({ code: 'custom', path: ['classLabels'], message: 'class labels must be unique' });
    }
  } else if (value.classLabels.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['classLabels'], message: 'a regression model has no class labels' });
  }
}

/** What `exportServable` takes as `signature`. */
export const ZServableSignatureInput = z.object(signatureInputShape).superRefine(checkClassLabels);
export type TServableSignatureInput = z.infer<typeof ZServableSignatureInput>;

/** `signature.json`: written last into a servable version, so its presence marks a complete export. */
export const ZServableSignature = z
  .object({
    modelName: z.string().min(1),
    version: z.number().int().positive(),
    createdAt: z.iso.datetime({ offset: true }),
    /** tfjs-core version that wrote the model. */
    tfjsVersion: z.string().min(1),
    quantization: ZServableQuantization,
    ...signatureInputShape,
    /** Every file of the version besides `model/` and the two metadata files. */
    files: z.array(ZServableFile),
  })
  .superRefine(checkClassLabels);
export type TServableSignature = z.infer<typeof ZServableSignature>;

/** `lineage.json`: where a servable came from, so a served prediction traces back to a run. */
export const ZServableLineage = z.object({
  pipelineName: z.string().min(1),
  runId: z.string().min(1),
  /** Ids of the artifacts it was built from, by role: e.g. { model, transformGraph, schema, evaluation, blessing }. */
  artifacts: z.record(z.string(), z.string().min(1)),
});
export type TServableLineage = z.infer<typeof ZServableLineage>;
