import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build';
import './custom-layers';
import { ZModelSummary, formatModelSummary, summarizeModel } from './summary';
import { modelTemplates } from './templates';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('summarizeModel / formatModelSummary', () => {
  it('prints the RPS CNN as Keras does', () => {
    const features = [{ name: 'image_xf', dtype: 'float32' as const, shape: [150, 150, 3] }];
    const { model } = buildModel(modelTemplates['rps-cnn']({ numClasses: 3, features }), { features, numClasses: 3 });
    const summary = summarizeModel(model);
    // What the artifact stores is what the CLI parses back.
    expect(ZModelSummary.parse(JSON.parse(JSON.stringify(summary)))).toEqual(summary);

    const lines = formatModelSummary(summary).split('\n');
    expect(lines[0]).toBe('Model: "sequential"');
    expect(lines[2]).toMatch(/^ Layer \(type\) +Output Shape +Param #$/);
    const hasLine = (pattern: RegExp) => lines.some((line) => pattern.test(line));
    expect(hasLine(/^ image_xf \(InputLayer\) +\(None, 150, 150, 3\) +0$/)).toBe(true);
    expect(hasLine(/^ conv2d \(Conv2D\) +\(None, 148, 148, 64\) +1,792$/)).toBe(true);
    expect(hasLine(/^ flatten \(Flatten\) +\(None, 6272\) +0$/)).toBe(true);
    expect(hasLine(/^ dense \(Dense\) +\(None, 512\) +3,211,776$/)).toBe(true);
    expect(hasLine(/Connected to/)).toBe(false);
    expect(lines.slice(-4)).toEqual([
      'Total params: 3,473,475 (13.25 MB)',
      'Trainable params: 3,473,475 (13.25 MB)',
      'Non-trainable params: 0 (0.00 MB)',
      lines[1],
    ]);
    // Columns line up: every shape starts where the header's "Output Shape" does.
    const shapeColumn = lines[2]?.indexOf('Output Shape');
    expect(lines.filter((line) => line.includes('(None')).every((line) => line.indexOf('(None') === shapeColumn)).toBe(true);
  });

  it('counts BatchNormalization statistics as non-trainable and shows connections of a graph', () => {
    const { model } = buildModel(
      {
        kind: 'functional',
        inputs: ['a', 'b'],
        layers: [
          { name: 'a', type: 'Input', config: { shape: [4] } },
          { name: 'b', type: 'Input', config: { shape: [2] } },
          { name: 'joined', type: 'Concatenate', inbound: ['a', 'b'] },
          { name: 'norm', type: 'BatchNormalization', inbound: ['joined'] },
        ],
        outputs: ['norm'],
      },
      { features: [], numClasses: 0 },
    );
    const summary = summarizeModel(model);
    // gamma, beta trainable; moving mean and variance not: 6 each.
    expect([summary.totalParams, summary.trainableParams, summary.nonTrainableParams]).toEqual([24, 12, 12]);
    expect(summary.rows.find((row) => row.name === 'joined')).toMatchObject({ className: 'Concatenate', outputShape: [null, 6], inbound: ['a', 'b'] });
    const text = formatModelSummary(summary);
    expect(text).toMatch(/Connected to/);
    expect(text).toMatch(/ joined \(Concatenate\) +\(None, 6\) +0 +a, b\n/);
  });
});
