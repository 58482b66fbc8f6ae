/** Losses a compile spec names without registering them (tfjs-layers' own, by its names). */
export const BUILTIN_LOSSES = ['sparseCategoricalCrossentropy', 'categoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError'] as const;
export type TBuiltinLoss = (typeof BUILTIN_LOSSES)[number];

/**
 * Metrics a compile spec names without registering them. `accuracy` follows Keras: binary for a
 * one-unit output or binary cross-entropy, otherwise sparse categorical for class-id labels
 * (categorical only with `categoricalCrossentropy`, whose labels are one-hot).
 */
export const BUILTIN_METRICS = ['accuracy', 'sparseCategoricalAccuracy', 'binaryAccuracy', 'categoricalAccuracy', 'mse', 'mae'] as const;
export type TBuiltinMetric = (typeof BUILTIN_METRICS)[number];
