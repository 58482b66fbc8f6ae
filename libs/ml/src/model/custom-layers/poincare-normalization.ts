import * as tf from '@tensorflow/tfjs-core';
import { layers, type Shape } from '@tensorflow/tfjs-layers';
import { parseOrThrow } from '@tsfx/shared';
import { z } from 'zod';
import { onlyShape, onlyTensor, type TLayerArgs } from './layer-args';

export const ZPoincareNormalizationConfig = z.strictObject({
  /** Axis (or axes) of the vectors to project; tfa's default is 1, the feature axis of `[batch, d]`. */
  axis: z.union([z.number().int(), z.array(z.number().int()).min(1)]).optional(),
  /** Margin from the ball's edge: outputs have norm ≤ 1 − epsilon. */
  epsilon: z.number().gt(0).lt(1).optional(),
});
export type TPoincareNormalizationConfig = z.input<typeof ZPoincareNormalizationConfig>;

/**
 * Projects vectors into the Poincaré ball (Nickel & Kiela 2017, "Poincaré Embeddings for
 * Learning Hierarchical Representations"), the custom-layer example of the talk. Same semantics
 * and defaults as TensorFlow Addons' `tfa.layers.PoincareNormalize`
 * (tensorflow_addons/layers/poincare.py): along `axis`,
 *
 *     output = x · (1 − ε) / ‖x‖   if ‖x‖ > 1 − ε
 *              x                   otherwise
 *
 * computed as tfa does, `x · min((1 − ε) · rsqrt(Σx²), 1)`; a zero vector stays zero. Note the
 * threshold is 1 − ε, not 1: every output lies strictly inside the ball.
 */
export class PoincareNormalization extends layers.Layer {
  static readonly className = 'PoincareNormalization';
  readonly axis: number | number[];
  readonly epsilon: number;

  constructor(args: TLayerArgs & TPoincareNormalizationConfig = {}) {
    const { axis, epsilon, ...base } = args;
    super(base);
    const config = parseOrThrow(ZPoincareNormalizationConfig, { axis, epsilon }, 'PoincareNormalization config');
    this.axis = config.axis ?? 1;
    this.epsilon = config.epsilon ?? 1e-5;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return onlyShape(inputShape, PoincareNormalization.className);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs, PoincareNormalization.className);
      const squareSum = tf.sum(tf.square(x), this.axis, true);
      const scale = tf.minimum(tf.mul(tf.rsqrt(squareSum), 1 - this.epsilon), 1);
      return tf.mul(x, scale);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), axis: this.axis, epsilon: this.epsilon };
  }
}
