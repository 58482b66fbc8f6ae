import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { createRandom } from '@tsfx/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { affineFor, augmentImages } from './augment';
import { ZAugmentation } from './schemas';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A 1×4×5×1 image whose pixel value encodes its position, so any move shows. */
function ramp(): tf.Tensor4D {
  return tf.tensor4d(Array.from({ length: 20 }, (_, i) => i), [1, 4, 5, 1]);
}

function warp(image: tf.Tensor4D, coefficients: number[]): number[] {
  return Array.from(tf.image.transform(image, tf.tensor2d([coefficients], [1, 8]), 'nearest', 'nearest').dataSync());
}

describe('affineFor', () => {
  it('is the identity with no flip, rotation, zoom or shift', () => {
    expect(warp(ramp(), affineFor(5, 4, { flip: false, radians: 0, scale: 1, shiftX: 0, shiftY: 0 }))).toEqual(Array.from(ramp().dataSync()));
  });

  it('mirrors each row when flipping', () => {
    const out = warp(ramp(), affineFor(5, 4, { flip: true, radians: 0, scale: 1, shiftX: 0, shiftY: 0 }));
    expect(out.slice(0, 5)).toEqual([4, 3, 2, 1, 0]);
    expect(out.slice(15, 20)).toEqual([19, 18, 17, 16, 15]);
  });

  it('moves content right by a positive x shift (nearest fill at the edge)', () => {
    const out = warp(ramp(), affineFor(5, 4, { flip: false, radians: 0, scale: 1, shiftX: 1, shiftY: 0 }));
    expect(out.slice(0, 5)).toEqual([0, 0, 1, 2, 3]);
  });

  it('rotates a half turn about the centre', () => {
    const out = warp(ramp(), affineFor(5, 4, { flip: false, radians: Math.PI, scale: 1, shiftX: 0, shiftY: 0 }));
    expect(out).toEqual(Array.from(ramp().dataSync()).reverse());
  });
});

describe('augmentImages', () => {
  it('gives each image its own draw, keeps the shape, and is fixed by the random stream', () => {
    const images = tf.tile(tf.tensor4d(Array.from({ length: 256 }, (_, i) => i), [1, 16, 16, 1]), [4, 1, 1, 1]) as tf.Tensor4D;
    const options = ZAugmentation.parse({ flipHorizontal: true, rotationDegrees: 30, widthShift: 0.2, zoom: 0.2 });
    const a = augmentImages(images, options, createRandom(9));
    const b = augmentImages(images, options, createRandom(9));
    expect(a.shape).toEqual([4, 16, 16, 1]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const perImage = tf.unstack(a).map((t) => Array.from(t.dataSync()).join());
    expect(new Set(perImage).size).toBe(4);
  });
});
