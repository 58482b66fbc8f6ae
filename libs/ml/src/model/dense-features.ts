import * as tfl from '@tensorflow/tfjs-layers';
import type { TTransformOutput } from '@tsfx/data';
import { PipelineError } from '@tsfx/shared';
// From the index, which registers them: models built here must load back by name.
import { IndicatorEncoding, MaskedSequenceMean } from './custom-layers';
import { toTensorName, type LayerNames } from './layer-names';

/**
 * `DenseFeatures`: the model's input layer built from feature columns (TF's
 * `tf.keras.layers.DenseFeatures`). The transform already turned raw columns into model-ready
 * outputs (`TTransformOutput`); this turns each into a dense float block and concatenates the
 * blocks, in the order given:
 *
 * - float32 (numeric, bucketized-as-indicator, images, …): flattened to `[batch, size]`.
 * - int32 with `embedding`: a trainable `Embedding(inputDim, outputDim)` table, then
 *   - with `padId` (padded id sequences, i.e. tokenized text): the mean of the embeddings over
 *     the non-padding positions, `[batch, outputDim]` (`MaskedSequenceMean`) — what TF's
 *     `embedding_column` does with its default `combiner='mean'`; flattening a padded sequence
 *     would make the vector depend on where the tokens sit and on the padding;
 *   - without `padId`: flattened, `[batch, positions × outputDim]` (`[batch, outputDim]` for one id).
 * - int32 without `embedding` but with `numBuckets`: counts per bucket `[batch, numBuckets]`
 *   (`IndicatorEncoding`): a one-hot vector for a single id, a multi-hot count vector for several,
 *   padding left out — TF's `indicator_column`.
 * - any other int32 output has no meaningful dense form and is an error.
 *
 * Every feature becomes one model input named after it (`<column>_xf`), created once per model
 * through `inputFor`, so the training loop feeds `features[name]` to it.
 */

export type TDenseFeaturesContext = {
  /** The model input for a transformed feature (created on first use). */
  inputFor(feature: TTransformOutput): tfl.SymbolicTensor;
  names: LayerNames;
};

/** `name` (already claimed) names the Concatenate that joins the blocks, when there are several. */
export function encodeDenseFeatures(features: readonly TTransformOutput[], name: string, ctx: TDenseFeaturesContext): tfl.SymbolicTensor {
  if (features.length === 0) {
    throw new PipelineError('INVALID_INPUT', `DenseFeatures '${name}' has no transformed features to encode`, {
      expected: 'at least one transform output',
      received: 'none',
    });
  }
  const blocks = features.map((feature) => encodeFeature(feature, ctx));
  if (blocks.length === 1) return blocks[0] as tfl.SymbolicTensor;
  return tfl.layers.concatenate({ name }).apply(blocks) as tfl.SymbolicTensor;
}

function apply(layer: tfl.layers.Layer, input: tfl.SymbolicTensor | tfl.SymbolicTensor[]): tfl.SymbolicTensor {
  return layer.apply(input) as tfl.SymbolicTensor;
}

function encodeFeature(feature: TTransformOutput, ctx: TDenseFeaturesContext): tfl.SymbolicTensor {
  const input = ctx.inputFor(feature);
  const layerName = (suffix: string) => ctx.names.fresh(toTensorName(`${feature.name}_${suffix}`));
  const flattened = (x: tfl.SymbolicTensor) => (x.shape.length === 2 ? x : apply(tfl.layers.flatten({ name: layerName('flatten') }), x));

  if (feature.dtype === 'float32') {
    // A scalar per row arrives as [batch]; Dense and Concatenate need [batch, 1].
    if (feature.shape.length === 0) return apply(tfl.layers.reshape({ targetShape: [1], name: layerName('reshape') }), input);
    return flattened(input);
  }

  if (feature.embedding) {
    const { inputDim, outputDim } = feature.embedding;
    if (inputDim < 1) {
      throw new PipelineError('INVALID_INPUT', `embedding feature '${feature.name}' has an empty id range`, {
        expected: 'embedding.inputDim ≥ 1',
        received: String(inputDim),
      });
    }
    const embedded = apply(tfl.layers.embedding({ inputDim, outputDim, name: layerName('embedding') }), input);
    if (feature.padId !== undefined && feature.shape.length > 0) {
      return apply(new MaskedSequenceMean({ padId: feature.padId, name: layerName('mean') }), [input, embedded]);
    }
    return flattened(embedded);
  }

  if (feature.numBuckets !== undefined && feature.numBuckets > 0) {
    const padding = feature.padId === undefined ? {} : { padId: feature.padId };
    return apply(new IndicatorEncoding({ numBuckets: feature.numBuckets, ...padding, name: layerName('indicator') }), input);
  }

  throw new PipelineError('INVALID_INPUT', `DenseFeatures cannot encode int32 feature '${feature.name}': it has neither an embedding nor a bucket count`, {
    expected: 'a float32 output, or an int32 output with `embedding` or `numBuckets`',
    received: JSON.stringify(feature),
  });
}
