import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import { parseOrThrow } from '@tsfx/shared';
import { z } from 'zod';
import type { TLayerArgs } from './layer-args';

export const ZMaskedSequenceMeanConfig = z.strictObject({
  /** The id that marks padding: its positions are left out of the mean. */
  padId: z.number().int().nonnegative(),
});
export type TMaskedSequenceMeanConfig = z.input<typeof ZMaskedSequenceMeanConfig>;

/**
 * The mean of a sequence's embeddings over its real (non-padding) positions: TF feature columns'
 * `embedding_column(combiner='mean')` for padded id sequences such as tokenized text. Takes two
 * inputs, the ids `[batch, …positions]` (to find padding) and their embeddings
 * `[batch, …positions, dim]`, and returns `[batch, dim]`; an all-padding row gives zeros.
 */
export class MaskedSequenceMean extends layers.Layer {
  static readonly className = 'MaskedSequenceMean';
  readonly padId: number;

  constructor(args: TLayerArgs & Partial<TMaskedSequenceMeanConfig> = {}) {
    const { padId, ...base } = args;
    super(base);
    this.padId = parseOrThrow(ZMaskedSequenceMeanConfig, { padId }, 'MaskedSequenceMean config').padId;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const embeddings = (inputShape as Shape[])[1];
    if (!Array.isArray(inputShape[0]) || embeddings === undefined) {
      throw new Error('MaskedSequenceMean takes two inputs: [ids, embeddings]');
    }
    return [embeddings[0] ?? null, embeddings[embeddings.length - 1] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [ids, embeddings] = Array.isArray(inputs) ? inputs : [];
      if (ids === undefined || embeddings === undefined) throw new Error('MaskedSequenceMean takes two inputs: [ids, embeddings]');
      const [batch] = ids.shape;
      const dim = embeddings.shape[embeddings.shape.length - 1] as number;
      const flatEmbeddings = tf.reshape(embeddings, [batch as number, -1, dim]);
      const mask = tf.cast(tf.notEqual(tf.reshape(ids, [batch as number, -1, 1]), this.padId), 'float32');
      const total = tf.sum(tf.mul(flatEmbeddings, mask), 1);
      const count = tf.maximum(tf.sum(mask, 1), 1);
      return tf.div(total, count);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padId: this.padId };
  }
}
