import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { layers, loadLayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build';
import { PoincareNormalization } from './custom-layers';
import { ZModelSpec } from './spec';
import { customLayerNames, registerCustomLayer } from './registry';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A custom layer without a config schema: doubles its input. */
class Doubler extends layers.Layer {
  static readonly className: string = 'Doubler';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs, 2));
  }
}

describe('registerCustomLayer', () => {
  it('makes a class usable from a spec and loadable from a saved model', async () => {
    expect(ZModelSpec.safeParse({ kind: 'sequential', layers: [{ type: 'Doubler' }] }).success).toBe(false);
    registerCustomLayer(Doubler);
    registerCustomLayer(Doubler);
    expect(customLayerNames()).toContain('Doubler');

    const { model } = buildModel(
      { kind: 'sequential', layers: [{ type: 'Input', config: { shape: [2] } }, { type: 'Doubler', name: 'twice' }] },
      { features: [], numClasses: 0 },
    );
    expect(model.getLayer('twice').getClassName()).toBe('Doubler');
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect((loaded.predict(tf.tensor2d([[1, -3]])) as tf.Tensor).arraySync()).toEqual([[2, -6]]);
  });

  it('refuses a built-in name and a second class under a taken name', () => {
    class Dense extends Doubler {
      static override readonly className = 'Dense';
    }
    class OtherPoincare extends Doubler {
      static override readonly className = PoincareNormalization.className;
    }
    expect(() => registerCustomLayer(Dense)).toThrow("a different built-in layer is already registered as 'Dense'");
    expect(() => registerCustomLayer(OtherPoincare)).toThrow("a different layer class is already registered as 'PoincareNormalization'");
  });
});
