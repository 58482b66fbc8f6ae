import { describe, expect, it } from 'vitest';
import { describeZodError } from '@tsfx/shared';
import './custom-layers';
import { ZModelSpec } from './spec';

function errorOf(spec: unknown): string {
  const result = ZModelSpec.safeParse(spec);
  if (result.success) throw new Error('expected the spec to be rejected');
  return describeZodError(result.error);
}

describe('ZModelSpec', () => {
  it('accepts a sequential spec and a functional graph', () => {
    expect(
      ZModelSpec.safeParse({
        kind: 'sequential',
        layers: [
          { type: 'Input', config: { feature: 'image_xf' } },
          { type: 'Conv2D', config: { filters: 8, kernelSize: [3, 3], activation: 'relu' } },
          { type: 'GlobalAveragePooling2D' },
          { type: 'Dense', name: 'head', config: { units: 'numClasses', activation: 'softmax' } },
        ],
      }).success,
    ).toBe(true);
    expect(
      ZModelSpec.safeParse({
        kind: 'functional',
        inputs: ['wide', 'deep_in'],
        layers: [
          { name: 'wide', type: 'DenseFeatures', config: { features: ['a_xf'] } },
          { name: 'deep_in', type: 'DenseFeatures', config: { features: ['b_xf'] } },
          { name: 'deep', type: 'Dense', config: { units: 8, activation: 'relu' }, inbound: ['deep_in'] },
          { name: 'both', type: 'Concatenate', inbound: ['wide', 'deep'] },
          { name: 'ball', type: 'PoincareNormalization', config: { epsilon: 0.01 }, inbound: ['both'] },
          { name: 'out', type: 'Dense', config: { units: 3, activation: 'softmax' }, inbound: ['ball'] },
        ],
        outputs: ['out'],
      }).success,
    ).toBe(true);
  });

  it('names the known layer types when a type is unknown', () => {
    const message = errorOf({ kind: 'sequential', layers: [{ type: 'Dense', config: { units: 2 } }, { type: 'Dence', config: { units: 2 } }] });
    expect(message).toContain("layers.1.type: unknown layer type 'Dence'");
    expect(message).toContain('Input, DenseFeatures, Dense, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, Flatten, Dropout');
    expect(message).toContain('registered custom layer (IndicatorEncoding, MaskedSequenceMean, PoincareNormalization)');
  });

  it('points at the bad value of a layer config', () => {
    expect(errorOf({ kind: 'sequential', layers: [{ type: 'Dense', config: { units: 0 } }] })).toMatch(/^layers\.0\.config\.units: /);
    expect(errorOf({ kind: 'sequential', layers: [{ type: 'Dense', config: { unit: 4 } }] })).toContain('layers.0.config');
    expect(errorOf({ kind: 'sequential', layers: [{ type: 'Dropout', config: { rate: 1 } }] })).toMatch(/^layers\.0\.config\.rate: /);
    expect(errorOf({ kind: 'sequential', layers: [{ type: 'Conv2D', config: { filters: 4, kernelSize: 3, padding: 'full' } }] })).toMatch(
      /^layers\.0\.config\.padding: /,
    );
    expect(errorOf({ kind: 'sequential', layers: [{ type: 'PoincareNormalization', config: { epsilon: 2 } }] })).toMatch(
      /^layers\.0\.config\.epsilon: /,
    );
    expect(errorOf({ kind: 'sequential', layers: [{ type: 'Input', config: {} }] })).toContain('an Input needs `feature`');
  });

  it('names the layer whose inbound layer is missing', () => {
    const message = errorOf({
      kind: 'functional',
      inputs: ['x'],
      layers: [
        { name: 'x', type: 'Input', config: { shape: [4] } },
        { name: 'hidden', type: 'Dense', config: { units: 2 }, inbound: ['x'] },
        { name: 'out', type: 'Dense', config: { units: 2 }, inbound: ['hiden'] },
      ],
      outputs: ['out'],
    });
    expect(message).toBe("layers.2.inbound.0: layer 'out' takes input from 'hiden', which is not a layer of this spec");
  });

  it('checks inputs, outputs, arity, duplicate names and cycles of a functional graph', () => {
    const message = errorOf({
      kind: 'functional',
      inputs: ['a', 'hidden'],
      layers: [
        { name: 'a', type: 'Input', config: { shape: [4] } },
        { name: 'b', type: 'Input', config: { shape: [4] } },
        { name: 'hidden', type: 'Dense', config: { units: 2 } },
        { name: 'join', type: 'Concatenate', inbound: ['a'] },
        { name: 'join', type: 'Flatten', inbound: ['a'] },
      ],
      outputs: ['nowhere'],
    });
    expect(message).toContain("layers.4.name: layer name 'join' is used more than once");
    expect(message).toContain("Input layer 'b' is missing from inputs");
    expect(message).toContain("layer 'hidden' (Dense) takes 1 inbound layer, got 0");
    expect(message).toContain("layer 'join' (Concatenate) takes at least two inbound layers, got 1");
    expect(message).toContain("input 'hidden' is not an Input or DenseFeatures layer of this spec");
    expect(message).toContain("output 'nowhere' is not a layer of this spec");
  });

  it('rejects a cycle', () => {
    const message = errorOf({
      kind: 'functional',
      inputs: ['a'],
      layers: [
        { name: 'a', type: 'Input', config: { shape: [4] } },
        { name: 'join', type: 'Concatenate', inbound: ['a', 'loop2'] },
        { name: 'loop1', type: 'Dense', config: { units: 2 }, inbound: ['join'] },
        { name: 'loop2', type: 'Dense', config: { units: 2 }, inbound: ['loop1'] },
      ],
      outputs: ['loop2'],
    });
    expect(message).toBe('layers: the layers form a cycle: join → loop2 → loop1 → join');
  });

  it('keeps Input, DenseFeatures and multi-input layers out of the middle of a sequential spec', () => {
    const message = errorOf({
      kind: 'sequential',
      layers: [
        { type: 'Flatten' },
        { type: 'DenseFeatures' },
        { type: 'Concatenate' },
        { type: 'MaskedSequenceMean', config: { padId: 0 } },
      ],
    });
    expect(message).toContain('layers.1.type: DenseFeatures can only be the first layer of a sequential spec');
    expect(message).toContain('layers.2.type: Concatenate takes several inputs');
    expect(message).toContain('layers.3.type: MaskedSequenceMean takes several inputs');
  });

  it('rejects unknown keys and a missing kind', () => {
    expect(errorOf({ kind: 'sequential', layers: [{ type: 'Flatten', inbound: [] }] })).toContain('layers.0');
    expect(errorOf({ layers: [] })).toContain('kind');
  });
});
