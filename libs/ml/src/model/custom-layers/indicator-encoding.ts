import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import { parseOrThrow } from '@tsfx/shared';
import { z } from 'zod';
import { onlyShape, onlyTensor, type TLayerArgs } from './layer-args';

export const ZIndicatorEncodingConfig = z.strictObject({
  /** Ids lie in [0, numBuckets). */
  numBuckets: z.number().int().positive(),
  /** An id that is padding, not a value: it is not counted. */
  padId: z.number().int().nonnegative().optional(),
});
export type TIndicatorEncodingConfig = z.input<typeof ZIndicatorEncodingConfig>;

/**
 * Integer ids `[batch, …positions]` → float32 counts per bucket `[batch, numBuckets]`, padding left
 * out: TF feature columns' `indicator_column` (a one-hot vector for a single id, a multi-hot
 * count vector for several). Built with a scatter-add, so memory is `batch × numBuckets`, not
 * `batch × positions × numBuckets` as one-hot-then-sum would be. tfjs's own CategoryEncoding is
 * not used because it reads ids back to the CPU synchronously on every call to check their range.
 */
export class IndicatorEncoding extends layers.Layer {
  static readonly className = 'IndicatorEncoding';
  readonly numBuckets: number;
  readonly padId: number | undefined;

  constructor(args: TLayerArgs & Partial<TIndicatorEncodingConfig> = {}) {
    const { numBuckets, padId, ...base } = args;
    super(base);
    const config = parseOrThrow(ZIndicatorEncodingConfig, { numBuckets, padId }, 'IndicatorEncoding config');
    this.numBuckets = config.numBuckets;
    this.padId = config.padId;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return [onlyShape(inputShape, IndicatorEncoding.className)[0] ?? null, this.numBuckets];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const ids = tf.cast(onlyTensor(inputs, IndicatorEncoding.className), 'int32');
      const batch = ids.shape[0] as number;
      const flat = tf.reshape(ids, [batch, -1]);
      const positions = flat.shape[1] as number;
      const rows = tf.tile(tf.reshape(tf.range(0, batch, 1, 'int32'), [batch, 1]), [1, positions]);
      const indices = tf.stack([tf.reshape(rows, [-1]), tf.reshape(flat, [-1])], 1);
      const updates =
        this.padId === undefined ? tf.ones([batch * positions], 'float32') : tf.cast(tf.notEqual(tf.reshape(flat, [-1]), this.padId), 'float32');
      return tf.scatterND(indices, updates, [batch, this.numBuckets]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), numBuckets: this.numBuckets, ...(this.padId === undefined ? {} : { padId: this.padId }) };
  }
}
