import { z } from 'zod';

/**
 * The `config` of every built-in layer type a model spec may name, as strict zod objects whose
 * keys are tfjs-layers' argument names (Keras's, in camelCase), so a typo such as `unit` is an
 * error instead of a silently ignored key. Only what a JSON spec needs is exposed: data format is
 * always channels-last, and input shapes come from `Input`/`DenseFeatures`, never from a layer.
 */

/** tfjs-layers 4.22's `ActivationIdentifier`. */
export const ZActivation = z.enum([
  'elu',
  'hardSigmoid',
  'linear',
  'relu',
  'relu6',
  'selu',
  'sigmoid',
  'softmax',
  'softplus',
  'softsign',
  'tanh',
  'swish',
  'mish',
  'gelu',
  'gelu_new',
]);

/** The parameter-free initializers of tfjs-layers 4.22 (its `InitializerIdentifier` minus `string`). */
export const ZInitializer = z.enum([
  'glorotNormal',
  'glorotUniform',
  'heNormal',
  'heUniform',
  'leCunNormal',
  'leCunUniform',
  'ones',
  'orthogonal',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
  'varianceScaling',
  'zeros',
]);

const positiveInt = z.number().int().positive();
/** A window size given once for both axes (`3`) or per axis (`[3, 3]`), as Keras takes it. */
const size2d = z.union([positiveInt, z.tuple([positiveInt, positiveInt])], { error: 'expected a positive integer or a [height, width] pair' });
const padding = z.enum(['valid', 'same']);

/** The spec's placeholder for the number of label classes, filled in by `buildModel`. */
export const NUM_CLASSES = 'numClasses' as const;

export const ZInputConfig = z
  .strictObject({
    /** The transformed feature this input takes (`<column>_xf`); shape and dtype come from it. */
    feature: z.string().min(1).optional(),
    /** Shape of one example without the batch axis; required without `feature`. */
    shape: z.array(positiveInt).optional(),
    dtype: z.enum(['float32', 'int32']).optional(),
  })
  .refine((config) => config.feature !== undefined || config.shape !== undefined, {
    message: 'an Input needs `feature` (a transformed feature name) or `shape`',
  });

export const ZDenseFeaturesConfig = z.strictObject({
  /** The transformed features to encode, in this order; default: every feature, in the transform's order. */
  features: z.array(z.string().min(1)).min(1).optional(),
});

export const ZDenseConfig = z.strictObject({
  /** A count, or `'numClasses'` for a classifier head that fits any label set. */
  units: z.union([positiveInt, z.literal(NUM_CLASSES)], { error: `expected a positive integer or '${NUM_CLASSES}'` }),
  activation: ZActivation.optional(),
  useBias: z.boolean().optional(),
  kernelInitializer: ZInitializer.optional(),
  biasInitializer: ZInitializer.optional(),
});

export const ZConv2DConfig = z.strictObject({
  filters: positiveInt,
  kernelSize: size2d,
  strides: size2d.optional(),
  padding: padding.optional(),
  dilationRate: size2d.optional(),
  activation: ZActivation.optional(),
  useBias: z.boolean().optional(),
  kernelInitializer: ZInitializer.optional(),
  biasInitializer: ZInitializer.optional(),
});

export const ZPooling2DConfig = z.strictObject({
  /** Keras's default is 2×2. */
  poolSize: size2d.optional(),
  /** Default: the pool size. */
  strides: size2d.optional(),
  padding: padding.optional(),
});

export const ZEmptyConfig = z.strictObject({});

export const ZDropoutConfig = z.strictObject({
  rate: z.number().min(0).lt(1),
  seed: z.number().int().nonnegative().optional(),
});

export const ZBatchNormalizationConfig = z.strictObject({
  axis: z.number().int().optional(),
  momentum: z.number().min(0).max(1).optional(),
  epsilon: z.number().positive().optional(),
  center: z.boolean().optional(),
  scale: z.boolean().optional(),
});

export const ZEmbeddingConfig = z.strictObject({
  inputDim: positiveInt,
  outputDim: positiveInt,
  embeddingsInitializer: ZInitializer.optional(),
});

export const ZConcatenateConfig = z.strictObject({
  axis: z.number().int().optional(),
});

export const ZRescalingConfig = z.strictObject({
  scale: z.number(),
  offset: z.number().optional(),
});

/** Built-in layer type → its config schema. */
export const builtinLayerConfigs = {
  Input: ZInputConfig,
  DenseFeatures: ZDenseFeaturesConfig,
  Dense: ZDenseConfig,
  Conv2D: ZConv2DConfig,
  MaxPooling2D: ZPooling2DConfig,
  AveragePooling2D: ZPooling2DConfig,
  GlobalAveragePooling2D: ZEmptyConfig,
  Flatten: ZEmptyConfig,
  Dropout: ZDropoutConfig,
  BatchNormalization: ZBatchNormalizationConfig,
  Embedding: ZEmbeddingConfig,
  Concatenate: ZConcatenateConfig,
  Rescaling: ZRescalingConfig,
} as const;

export type TBuiltinLayerType = keyof typeof builtinLayerConfigs;
export const BUILTIN_LAYER_TYPES = Object.keys(builtinLayerConfigs) as TBuiltinLayerType[];

/** The config a spec author writes for a built-in layer type. */
export type TLayerConfigOf<K extends TBuiltinLayerType> = z.input<(typeof builtinLayerConfigs)[K]>;

/** Layers that start a model: they create model inputs instead of taking a layer's output. */
export const SOURCE_LAYER_TYPES: readonly string[] = ['Input', 'DenseFeatures'] satisfies TBuiltinLayerType[];

export function isBuiltinLayerType(type: string): type is TBuiltinLayerType {
  return Object.hasOwn(builtinLayerConfigs, type);
}

/** Parses a built-in layer's config (absent = `{}`), typed by its layer type. */
export function parseBuiltinConfig<K extends TBuiltinLayerType>(
  type: K,
  config: unknown,
): z.ZodSafeParseResult<z.output<(typeof builtinLayerConfigs)[K]>> {
  // Indexing a const map by a generic key loses the link between key and schema; restore it.
  const schema = builtinLayerConfigs[type] as unknown as z.ZodType<z.output<(typeof builtinLayerConfigs)[K]>>;
  return schema.safeParse(config ?? {});
}
