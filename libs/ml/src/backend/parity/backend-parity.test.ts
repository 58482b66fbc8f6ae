/**
 * Backend parity: every backend this machine can run (always wasm, plus the native `tensorflow`
 * binding when it loads) against TF.js's plain JavaScript `cpu` backend as the reference —
 * kernel by kernel on seeded random shapes, then whole models (predictions, gradients, one fit
 * epoch). Which backends ran, and why the others did not, is printed once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../available-backends';
import { allowedError, compareValues, describeMismatch, KERNEL_RELATIVE_TOLERANCE } from './compare';
import { allKernelCases } from './kernel-cases';
import { denseWithEmbedding, PARITY_FIT, runModel, smallCnn, type TModelRun } from './parity-models';
import { runKernelCase, type TKernelCase } from './run-kernel';
import { sizeOf } from './seeded-tensors';

const REFERENCE = 'cpu';
const backends = await availableBackends();
const compared = backends.available.filter((backend) => backend !== REFERENCE);
console.log(
  `backend parity: ${compared.join(', ')} against ${REFERENCE}` +
    (backends.missing.length > 0 ? `; not run: ${backends.missing.map((m) => `${m.backend} (${m.reason})`).join('; ')}` : ''),
);

describe('available backends', () => {
  it('always include the cpu reference and wasm; a missing backend says why', () => {
    expect(backends.available).toContain(REFERENCE);
    expect(backends.available).toContain('wasm');
    for (const missing of backends.missing) expect(missing.reason.length).toBeGreaterThan(0);
    expect([...backends.available, ...backends.missing.map((m) => m.backend)].sort()).toEqual(['cpu', 'tensorflow', 'wasm']);
  });
});

async function expectKernelParity(backend: string, kernelCase: TKernelCase): Promise<void> {
  const reference = await runKernelCase(REFERENCE, kernelCase, true);
  const actual = await runKernelCase(backend, kernelCase);
  expect(actual.shape, 'output shape').toEqual(reference.shape);
  expect(actual.dtype, 'output dtype').toBe(reference.dtype);
  expect(reference.values.length, `${REFERENCE} output size`).toBe(sizeOf(reference.shape));
  expect(actual.values.length, `${backend} output size`).toBe(sizeOf(actual.shape));
  const comparison = compareValues(reference.values, actual.values);
  const allowed = allowedError(comparison.maxAbsReference, KERNEL_RELATIVE_TOLERANCE);
  if (comparison.maxAbsError > allowed) {
    expect.fail(describeMismatch(`${kernelCase.kernel} ${kernelCase.label}`, comparison, allowed, reference.values, actual.values));
  }
  expect({ tensors: actual.leakedTensors, dataIds: actual.leakedDataIds }, `${backend} leaked`).toEqual({ tensors: 0, dataIds: 0 });
  expect({ tensors: reference.leakedTensors, dataIds: reference.leakedDataIds }, `${REFERENCE} leaked`).toEqual({ tensors: 0, dataIds: 0 });
}

/** Attributes a backend's kernels reject with a clear error: asserted as such, so a fix shows up as a failure to update. */
type TKnownGap = { what: string; applies: (kernelCase: TKernelCase) => boolean; error: RegExp };

const isConvGradient = (c: TKernelCase) => c.kernel === 'Conv2DBackpropFilter' || c.kernel === 'Conv2DBackpropInput';
const stridesAbove1 = (strides: unknown) => (Array.isArray(strides) ? strides.some((s) => s !== 1) : strides !== 1);

const KNOWN_GAPS: Partial<Record<string, TKnownGap[]>> = {
  // tfjs-node 4.22 hands TensorFlow only 'SAME'/'VALID' padding, and its NCHW convolution
  // gradients fail once a stride is above 1 (TensorFlow then sees a stride on the channel axis).
  tensorflow: [
    {
      what: 'tfjs-node rejects explicit and numeric padding',
      applies: (c) => isConvGradient(c) && typeof c.attrs['pad'] !== 'string',
      error: /supports only 'valid' and 'same' padding/,
    },
    {
      what: 'tfjs-node rejects NCHW with strides above 1',
      applies: (c) => isConvGradient(c) && c.attrs['dataFormat'] === 'NCHW' && stridesAbove1(c.attrs['strides']),
      error: /strides in the batch and depth dimensions/,
    },
  ],
};

const kernelCases = allKernelCases();
for (const backend of compared) {
  describe(`${backend} kernels match ${REFERENCE}`, () => {
    for (const [kernel, cases] of Object.entries(kernelCases)) {
      describe(kernel, () => {
        for (const kernelCase of cases) {
          const gap = KNOWN_GAPS[backend]?.find((known) => known.applies(kernelCase));
          if (gap) {
            it(`${kernelCase.label}: ${gap.what}`, async () => {
              await expect(runKernelCase(backend, kernelCase)).rejects.toThrow(gap.error);
            });
          } else {
            it(kernelCase.label, () => expectKernelParity(backend, kernelCase));
          }
        }
      });
    }
  });
}

/**
 * Model-level tolerances. Predictions are softmax probabilities: 1e-4 absolute. Gradients: 1e-4
 * of the largest reference gradient entry of the same weight (a weight whose gradients are all
 * small is held to the same relative standard as one with large ones). After one fit epoch —
 * 4 SGD steps at learning rate 0.1 — weights may drift apart by what 4 updates whose gradients
 * each differ by the gradient tolerance can add up to: 4 × 0.1 × 1e-4 × max |gradient| (≤ 1 in
 * these models: the largest is 0.28) = 4e-5. Measured on wasm and tensorflow: ≤ 2e-7, ≤ 1.2e-6
 * relative and ≤ 3e-8.
 */
const PREDICTION_TOLERANCE = 1e-4;
const GRADIENT_RELATIVE_TOLERANCE = 1e-4;
const FIT_TOLERANCE = PARITY_FIT.steps * PARITY_FIT.learningRate * GRADIENT_RELATIVE_TOLERANCE * 1;
const WEIGHT_SEED = 7;

function expectAllClose(what: string, reference: Map<string, Float32Array>, actual: Map<string, Float32Array>, allowed: (maxAbsReference: number) => number): void {
  expect([...actual.keys()], `${what}: the same weights`).toEqual([...reference.keys()]);
  const failures: string[] = [];
  for (const [name, expected] of reference) {
    const got = actual.get(name) ?? new Float32Array();
    const comparison = compareValues(expected, got);
    const limit = allowed(comparison.maxAbsReference);
    if (comparison.maxAbsError > limit) failures.push(describeMismatch(`${what} of ${name}`, comparison, limit, expected, got));
  }
  expect(failures).toEqual([]);
}

for (const backend of compared) {
  describe(`${backend} models match ${REFERENCE}`, () => {
    for (const parityModel of [smallCnn(), denseWithEmbedding()]) {
      describe(parityModel.name, () => {
        let reference: TModelRun;
        let actual: TModelRun;
        beforeAll(async () => {
          reference = await runModel(REFERENCE, parityModel, WEIGHT_SEED);
          actual = await runModel(backend, parityModel, WEIGHT_SEED);
        });

        it('predicts the same probabilities from the same seeded weights', () => {
          const comparison = compareValues(reference.predictions, actual.predictions);
          if (comparison.maxAbsError > PREDICTION_TOLERANCE) {
            expect.fail(describeMismatch('predictions', comparison, PREDICTION_TOLERANCE, reference.predictions, actual.predictions));
          }
        });

        it('computes the same gradient for every trainable weight', () => {
          expect(reference.gradients.size, 'trainable weights').toBeGreaterThan(0);
          expectAllClose('gradient', reference.gradients, actual.gradients, (maxAbs) => GRADIENT_RELATIVE_TOLERANCE * Math.max(maxAbs, 1e-6));
        });

        it(`ends one fit epoch (${PARITY_FIT.steps} SGD steps) with the same weights`, () => {
          expectAllClose('weight after fit', reference.fitted, actual.fitted, () => FIT_TOLERANCE);
        });

        it('leaves no tensor behind', () => {
          expect({ [REFERENCE]: reference.leakedTensors, [backend]: actual.leakedTensors }).toEqual({ [REFERENCE]: 0, [backend]: 0 });
        });
      });
    }
  });
}
