import * as tf from '@tensorflow/tfjs-core';
import type { TAugmentation } from './schemas';

/** The 8 projective coefficients of `tf.image.transform` for one image (output pixel → input pixel). */
export type TProjective = [number, number, number, number, number, number, number, number];

/**
 * The inverse map of "flip, then rotate by `radians`, then zoom by `scale`, about the centre,
 * then shift by (shiftX, shiftY) pixels": `tf.image.transform` asks, for each output pixel,
 * which input pixel to read. With F = diag(±1, 1), R(θ) the rotation and c the centre,
 * out = c + t + scale·R(θ)·F·(in − c), so in = c + F·R(−θ)·(out − c − t)/scale.
 */
export function affineFor(
  width: number,
  height: number,
  params: { flip: boolean; radians: number; scale: number; shiftX: number; shiftY: number },
): TProjective {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const f = params.flip ? -1 : 1;
  const cos = Math.cos(params.radians) / params.scale;
  const sin = Math.sin(params.radians) / params.scale;
  const m00 = f * cos;
  const m01 = f * sin;
  const m10 = -sin;
  const m11 = cos;
  const ox = cx + params.shiftX;
  const oy = cy + params.shiftY;
  return [m00, m01, cx - m00 * ox - m01 * oy, m10, m11, cy - m10 * ox - m11 * oy, 0, 0];
}

/** Whether the augmentation changes anything at all. */
export function isAugmenting(augmentation: TAugmentation): boolean {
  return (
    augmentation.flipHorizontal ||
    augmentation.rotationDegrees > 0 ||
    augmentation.widthShift > 0 ||
    augmentation.heightShift > 0 ||
    augmentation.zoom > 0
  );
}

/**
 * Augments a batch of images `[batch, height, width, channels]`: each image gets its own
 * random flip, rotation, shift and zoom drawn from `random`, applied as one bilinear affine
 * warp with nearest fill (Keras's `fill_mode='nearest'` default), so no black corners appear.
 * Returns a new tensor; the caller disposes both.
 */
export function augmentImages(images: tf.Tensor4D, augmentation: TAugmentation, random: () => number): tf.Tensor4D {
  const [batch, height, width] = images.shape;
  const uniform = (range: number) => (random() * 2 - 1) * range;
  const transforms = new Float32Array(batch * 8);
  for (let i = 0; i < batch; i++) {
    const coefficients = affineFor(width, height, {
      flip: augmentation.flipHorizontal && random() < 0.5,
      radians: (uniform(augmentation.rotationDegrees) * Math.PI) / 180,
      scale: 1 + uniform(augmentation.zoom),
      shiftX: uniform(augmentation.widthShift) * width,
      shiftY: uniform(augmentation.heightShift) * height,
    });
    transforms.set(coefficients, i * 8);
  }
  return tf.tidy(() => {
    if (tf.getBackend() !== 'cpu') return tf.image.transform(images, tf.tensor2d(transforms, [batch, 8]), 'bilinear', 'nearest');
    // tfjs-backend-cpu 4.22's Transform reads every image after the first out of bounds (all
    // fill values), so on cpu each image is warped on its own; wasm and webgl are correct.
    const warped = tf.unstack(images).map((image, i) =>
      tf.image.transform(tf.expandDims(image, 0) as tf.Tensor4D, tf.tensor2d(transforms.subarray(i * 8, i * 8 + 8), [1, 8]), 'bilinear', 'nearest'),
    );
    return tf.concat(warped) as tf.Tensor4D;
  });
}
