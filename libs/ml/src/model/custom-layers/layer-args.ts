import type { layers, Shape } from '@tensorflow/tfjs-layers';
import type * as tf from '@tensorflow/tfjs-core';

/** tfjs-layers' `LayerArgs` (name, trainable, dtype, …), which its index does not export by name. */
export type TLayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** The one tensor of a single-input layer's `call`. */
export function onlyTensor(inputs: tf.Tensor | tf.Tensor[], layer: string): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  const [only] = inputs;
  if (inputs.length !== 1 || only === undefined) throw new Error(`${layer} takes one input, got ${inputs.length}`);
  return only;
}

/** The one shape of a single-input layer's `computeOutputShape`. */
export function onlyShape(shape: Shape | Shape[], layer: string): Shape {
  if (!Array.isArray(shape[0])) return shape as Shape;
  const shapes = shape as Shape[];
  const [only] = shapes;
  if (shapes.length !== 1 || only === undefined) throw new Error(`${layer} takes one input, got ${shapes.length}`);
  return only;
}
