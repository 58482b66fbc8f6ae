import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { TTransformOutput } from '@tsfx/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build';
import './custom-layers';
import { ZModelSpec } from './spec';
import { summarizeModel } from './summary';
import { modelTemplates } from './templates';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Keras's parameter count of a k×k convolution: one k·k·cin kernel per filter, plus a bias each. */
const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;
const dense = (inputs: number, units: number) => inputs * units + units;

function chain(features: TTransformOutput[], template: keyof typeof modelTemplates, numClasses: number) {
  const spec = modelTemplates[template]({ numClasses, features });
  expect(ZModelSpec.safeParse(spec).success).toBe(true);
  const { model, inputNames } = buildModel(spec, { features, numClasses });
  const summary = summarizeModel(model);
  return { inputNames, summary, rows: summary.rows.map((row) => [row.name, row.outputShape, row.params]) };
}

describe('model templates', () => {
  it("rps-cnn is the talk's rock-paper-scissors CNN, shape for shape and parameter for parameter", () => {
    const { inputNames, summary, rows } = chain([{ name: 'image_xf', dtype: 'float32', shape: [150, 150, 3] }], 'rps-cnn', 3);
    expect(inputNames).toEqual(['image_xf']);
    expect(rows).toEqual([
      ['image_xf', [null, 150, 150, 3], 0],
      ['conv2d', [null, 148, 148, 64], conv(3, 3, 64)],
      ['max_pooling2d', [null, 74, 74, 64], 0],
      ['conv2d_1', [null, 72, 72, 64], conv(3, 64, 64)],
      ['max_pooling2d_1', [null, 36, 36, 64], 0],
      ['conv2d_2', [null, 34, 34, 128], conv(3, 64, 128)],
      ['max_pooling2d_2', [null, 17, 17, 128], 0],
      ['conv2d_3', [null, 15, 15, 128], conv(3, 128, 128)],
      ['max_pooling2d_3', [null, 7, 7, 128], 0],
      ['flatten', [null, 6272], 0],
      ['dropout', [null, 6272], 0],
      ['dense', [null, 512], dense(6272, 512)],
      ['dense_1', [null, 3], dense(512, 3)],
    ]);
    // The hand-computed terms: 1 792 + 36 928 + 73 856 + 147 584 + 3 211 776 + 1 539.
    expect([conv(3, 3, 64), conv(3, 64, 64), conv(3, 64, 128), conv(3, 128, 128), dense(6272, 512), dense(512, 3)]).toEqual([
      1792, 36928, 73856, 147584, 3211776, 1539,
    ]);
    expect(summary.totalParams).toBe(3_473_475);
    expect(summary.trainableParams).toBe(3_473_475);
    expect(summary.nonTrainableParams).toBe(0);
  });

  it('fashion-mnist-cnn takes its input shape from the image feature', () => {
    const { rows, summary } = chain([{ name: 'image_xf', dtype: 'float32', shape: [28, 28, 1] }], 'fashion-mnist-cnn', 10);
    expect(rows).toEqual([
      ['image_xf', [null, 28, 28, 1], 0],
      ['conv2d', [null, 26, 26, 32], conv(3, 1, 32)],
      ['max_pooling2d', [null, 13, 13, 32], 0],
      ['conv2d_1', [null, 11, 11, 64], conv(3, 32, 64)],
      ['max_pooling2d_1', [null, 5, 5, 64], 0],
      ['flatten', [null, 1600], 0],
      ['dense', [null, 128], dense(1600, 128)],
      ['dropout', [null, 128], 0],
      ['dense_1', [null, 10], dense(128, 10)],
    ]);
    expect(summary.totalParams).toBe(225_034);

    const rgb = chain([{ name: 'photo_xf', dtype: 'float32', shape: [32, 32, 3] }], 'fashion-mnist-cnn', 4);
    expect(rgb.rows[1]).toEqual(['conv2d', [null, 30, 30, 32], conv(3, 3, 32)]);
    expect(rgb.inputNames).toEqual(['photo_xf']);
  });

  it('tabular-dnn builds from the feature columns', () => {
    const features: TTransformOutput[] = [
      { name: 'bill_length_xf', dtype: 'float32', shape: [1] },
      { name: 'island_xf', dtype: 'int32', shape: [1], numBuckets: 4, embedding: { inputDim: 4, outputDim: 2 } },
      { name: 'sex_xf', dtype: 'int32', shape: [1], numBuckets: 3 },
    ];
    const { rows, inputNames, summary } = chain(features, 'tabular-dnn', 3);
    expect(inputNames).toEqual(['bill_length_xf', 'island_xf', 'sex_xf']);
    const width = 1 + 2 + 3;
    expect(rows.filter(([name]) => String(name).startsWith('dense'))).toEqual([
      ['dense_features', [null, width], 0],
      ['dense', [null, 64], dense(width, 64)],
      ['dense_1', [null, 32], dense(64, 32)],
      ['dense_2', [null, 3], dense(32, 3)],
    ]);
    expect(summary.totalParams).toBe(4 * 2 + dense(width, 64) + dense(64, 32) + dense(32, 3));
  });

  it('CNN templates need exactly one image feature', () => {
    expect(() => modelTemplates['rps-cnn']({ numClasses: 3, features: [{ name: 'age_xf', dtype: 'float32', shape: [1] }] })).toThrow(
      'the rps-cnn template needs exactly one image feature; expected one float32 transform output of shape [height, width, channels]; received age_xf float32 [1]',
    );
  });
});
