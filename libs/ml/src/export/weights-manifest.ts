/**
 * The `model.json` of TF.js's layers format, as a zod schema (so a file from disk is checked
 * before TF.js trips over it), plus byte arithmetic on its weights manifest: how long each
 * weight is on disk, and the total size that the export stage reports before/after quantization.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { PipelineError } from '@tsfx/shared';

export const MODEL_JSON_FILE = 'model.json';
/** tfjs-converter's and tfjs-layers' default shard size: 4 MiB. */
export const DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;
/** `format` of a model saved by tfjs-layers, the only kind `loadLayersModel` takes. */
export const LAYERS_MODEL_FORMAT = 'layers-model';

/** Bytes per stored value, by weight dtype or quantization dtype (tfjs-core's DTYPE_VALUE_SIZE_MAP). */
const BYTES_PER_VALUE = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 } as const;
/** A string weight is stored as a uint32 byte length then the UTF-8 bytes, per element. */
const STRING_LENGTH_BYTES = 4;

/** `group1-shard1of3.bin`: the shard names tfjs-converter writes, which loaders do not depend on. */
export function shardFileName(groupIndex: number, shardIndex: number, shardCount: number): string {
  return `group${groupIndex + 1}-shard${shardIndex + 1}of${shardCount}.bin`;
}

/**
 * A shard path as a manifest may name it: relative to model.json and inside its folder, so
 * loading a model from a directory can never read files elsewhere.
 */
const ZShardPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.includes('\\') && !p.split('/').includes('..'), {
    message: 'shard paths must be relative and stay inside the model folder',
  });

export const ZWeightsManifestEntry = z
  .object({
    name: z.string().min(1),
    shape: z.array(z.number().int().nonnegative()),
    dtype: z.enum(['float32', 'int32', 'bool', 'string', 'complex64']),
    group: z.enum(['model', 'optimizer']).optional(),
    quantization: z
      .object({ dtype: z.enum(['uint8', 'uint16', 'float16']), scale: z.number().optional(), min: z.number().optional() })
      .optional(),
  })
  .superRefine((entry, ctx) => {
    const q = entry.quantization;
    if (q === undefined) return;
    // The same rules io.decodeWeights applies, checked up front so that the error names the file.
    if (q.dtype === 'float16' && entry.dtype !== 'float32') {
      ctx.addIssue({ code: 'custom', path: ['quantization'], message: `float16 quantization needs a float32 weight, not ${entry.dtype}` });
    }
    if (q.dtype !== 'float16') {
      if (entry.dtype !== 'float32' && entry.dtype !== 'int32') {
        ctx.addIssue({ code: 'custom', path: ['quantization'], message: `${q.dtype} quantization needs a float32 or int32 weight, not ${entry.dtype}` });
      }
      if (q.scale === undefined || q.min === undefined) {
        ctx.addIssue({ code: 'custom', path: ['quantization'], message: `${q.dtype} quantization needs scale and min` });
      }
    }
  });

export const ZWeightsManifestGroup = z.object({ paths: z.array(ZShardPath), weights: z.array(ZWeightsManifestEntry) });

/** What we record per shard so that a truncated or bit-flipped file is caught on load. */
export const ZShardIntegrity = z.object({ bytes: z.number().int().nonnegative(), crc32c: z.number().int().nonnegative() });
export type TShardIntegrity = z.infer<typeof ZShardIntegrity>;

const ZJsonObject = z.record(z.string(), z.unknown());

/**
 * `model.json`. Unknown keys are dropped. `weightsIntegrity` is ours (sizes and CRC-32C of each
 * shard, by path); TF.js's loaders ignore keys they do not know, so the layout stays standard.
 */
export const ZModelJson = z.object({
  modelTopology: ZJsonObject,
  format: z.string().optional(),
  generatedBy: z.string().optional(),
  convertedBy: z.string().nullable().optional(),
  weightsManifest: z.array(ZWeightsManifestGroup),
  trainingConfig: ZJsonObject.optional(),
  userDefinedMetadata: ZJsonObject.optional(),
  signature: ZJsonObject.optional(),
  modelInitializer: ZJsonObject.optional(),
  initializerSignature: ZJsonObject.optional(),
  weightsIntegrity: z.record(z.string(), ZShardIntegrity).optional(),
});
export type TModelJson = z.infer<typeof ZModelJson>;

/** Byte length of one weight on disk, or undefined for a string weight (it depends on the data). */
export function fixedWeightByteLength(spec: tf.io.WeightsManifestEntry): number | undefined {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.quantization !== undefined) return size * BYTES_PER_VALUE[spec.quantization.dtype];
  if (spec.dtype === 'string') return undefined;
  return size * BYTES_PER_VALUE[spec.dtype];
}

/**
 * Byte length of one weight whose bytes start at `bytes[0]`: reads the length prefixes of a
 * string weight, the way io.decodeWeights walks them.
 */
export function weightEntryByteLength(spec: tf.io.WeightsManifestEntry, bytes: Uint8Array): number {
  const fixed = fixedWeightByteLength(spec);
  if (fixed !== undefined) return fixed;
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let length = 0;
  for (let i = 0; i < size; i++) {
    if (length + STRING_LENGTH_BYTES > bytes.byteLength) break;
    length += STRING_LENGTH_BYTES + view.getUint32(length, true);
  }
  return length;
}

export type WeightSizeOptions = {
  /** Count only this group's weights ('model' includes entries with no group). Default: all. */
  group?: tf.io.WeightGroup;
  /** Size the weights as their original dtype, ignoring quantization: the "before" of a quantized export. */
  unquantized?: boolean;
};

/**
 * Bytes the weights of a manifest take on disk (quantized sizes where quantized), e.g. to print
 * "weights 1.2 MB → 0.3 MB (uint8)" around an export.
 *
 * @example
 * const before = weightSizeBytes(manifest, { unquantized: true });
 * const after = weightSizeBytes(manifest);
 * log(`weights ${before} B → ${after} B (${quantize})`);
 */
export function weightSizeBytes(manifest: tf.io.WeightsManifestConfig, options: WeightSizeOptions = {}): number {
  let total = 0;
  for (const group of manifest) {
    for (const spec of group.weights) {
      if (options.group !== undefined && (spec.group ?? 'model') !== options.group) continue;
      const bytes = fixedWeightByteLength(options.unquantized ? { ...spec, quantization: undefined } : spec);
      if (bytes === undefined) {
        throw new PipelineError('INVALID_INPUT', `weight '${spec.name}' has no size known from the manifest alone`, {
          expected: 'numeric or bool weights (layers models have no string weights)',
          received: 'a string weight',
        });
      }
      total += bytes;
    }
  }
  return total;
}
