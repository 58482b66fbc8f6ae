import * as tf from '@tensorflow/tfjs-core';
import { PipelineError } from '@tsfx/shared';
import { describe, expect, it } from 'vitest';
import { availableBackends } from '../available-backends';
import { selectBackend } from '../select-backend';

const backends = await availableBackends();
const tensorflowMissing = backends.missing.find((missing) => missing.backend === 'tensorflow');

describe('selectBackend', () => {
  it('forced wasm: switches to wasm with 2 XNNPACK threads and SIMD', async () => {
    const selection = await selectBackend({ forced: 'wasm' });
    expect(selection).toMatchObject({ backend: 'wasm', threads: 2, simd: true, tfjsVersion: tf.version_core });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('forced cpu: switches to the JavaScript backend', async () => {
    const selection = await selectBackend({ forced: 'cpu' });
    expect(selection).toMatchObject({ backend: 'cpu', tfjsVersion: tf.version_core });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('a repeated request returns the same selection and re-activates its backend', async () => {
    const first = await selectBackend({ forced: 'wasm' });
    await tf.setBackend('cpu');
    const again = await selectBackend({ forced: 'wasm' });
    expect(again).toBe(first);
    expect(tf.getBackend()).toBe('wasm');
  });

  // Which branch runs depends on whether @tensorflow/tfjs-node loads on this machine
  // (`npm run setup:native`); either way the outcome is asserted.
  if (tensorflowMissing) {
    it(`forced tensorflow, which is absent here (${tensorflowMissing.reason}): a PipelineError naming what was expected and what arrived`, async () => {
      const before = tf.getBackend();
      const error = await selectBackend({ forced: 'tensorflow' }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(PipelineError);
      const pipelineError = error as PipelineError;
      expect(pipelineError.code).toBe('INVALID_INPUT');
      expect(pipelineError.expected).toMatch(/@tensorflow\/tfjs-node/);
      expect(pipelineError.received).toMatch(/tfjs-node/);
      expect(pipelineError.message).toContain(`expected ${pipelineError.expected}`);
      expect(pipelineError.message).toContain(`received ${pipelineError.received}`);
      expect(tf.getBackend(), 'a failed request leaves the active backend alone').toBe(before);
    });
  } else {
    it('forced tensorflow, which loads here: switches to the native backend', async () => {
      const selection = await selectBackend({ forced: 'tensorflow' });
      expect(selection.backend).toBe('tensorflow');
      expect(tf.getBackend()).toBe('tensorflow');
    });
  }
});
