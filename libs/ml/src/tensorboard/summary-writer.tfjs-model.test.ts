import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { withTempDir } from '@tsfx/shared/testing';
import { describe, expect, it } from 'vitest';
import { createSummaryWriter } from './summary-writer';
import { decodeEventFile } from './testing/decode-event-file';

describe('SummaryWriter.graph with a TF.js layers model', () => {
  it('writes what model.toJSON(null, false) returns, in the Keras JSON form', async () => {
    await tf.setBackend('cpu');
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: 8, inputShape: [4], activation: 'relu' }), tfl.layers.dense({ units: 3, activation: 'softmax' })],
    });
    const config = model.toJSON(null, false);
    await withTempDir(async (dir) => {
      const writer = await createSummaryWriter(dir);
      writer.graph(config);
      await writer.close();
      const value = (await decodeEventFile(writer.path))[1]?.values[0];
      const written = JSON.parse(value?.tensor?.strings[0] ?? 'null') as { class_name: string; config: { layers: { class_name: string }[] } };
      expect(written).toEqual(config);
      // Keras' snake_case wire form, which TensorBoard's conceptual-graph view parses.
      expect(written.class_name).toBe('Sequential');
      expect(written.config.layers.map((layer) => layer.class_name)).toEqual(['Dense', 'Dense']);
    });
    model.dispose();
  });
});
