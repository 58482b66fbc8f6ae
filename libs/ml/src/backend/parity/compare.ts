/**
 * Kernel parity tolerance: max |actual − reference| ≤ 1e-5 × max(1, max |reference|). Relative to
 * the largest reference value because float32 error scales with the magnitude of the result, not
 * of each element (an element that cancels to ~0 carries the error of the big terms it summed);
 * floored at 1 so that results near zero are held to 1e-5 absolute. Every case meets it; the
 * largest relative errors measured are 1.5e-6 on wasm (BatchMatMul with an inner size of 1,500)
 * and 4.9e-6 on tensorflow (Sum of 43,808 float32 rows).
 */
export const KERNEL_RELATIVE_TOLERANCE = 1e-5;

export type TComparison = {
  /** Largest |actual − reference| over all elements; Infinity if the sizes differ or a NaN appears on one side only. */
  maxAbsError: number;
  maxAbsReference: number;
  /** Index of the element with the largest error, for the failure message. */
  worstIndex: number;
};

export type TNumbers = ArrayLike<number>;

export function compareValues(reference: TNumbers, actual: TNumbers): TComparison {
  if (reference.length !== actual.length) return { maxAbsError: Infinity, maxAbsReference: Infinity, worstIndex: -1 };
  let maxAbsError = 0;
  let maxAbsReference = 0;
  let worstIndex = -1;
  for (let i = 0; i < reference.length; i++) {
    const expected = reference[i]!;
    const got = actual[i]!;
    const error = Number.isNaN(expected) && Number.isNaN(got) ? 0 : Math.abs(got - expected);
    // NaN on one side only: `error > maxAbsError` is false for NaN, so record it explicitly.
    if (Number.isNaN(error) || error > maxAbsError) {
      maxAbsError = Number.isNaN(error) ? Infinity : error;
      worstIndex = i;
    }
    if (Number.isFinite(expected)) maxAbsReference = Math.max(maxAbsReference, Math.abs(expected));
  }
  return { maxAbsError, maxAbsReference, worstIndex };
}

/** The error `compareValues` may report for a result whose largest magnitude is `maxAbsReference`. */
export function allowedError(maxAbsReference: number, relative = KERNEL_RELATIVE_TOLERANCE): number {
  return relative * Math.max(1, maxAbsReference);
}

/** A readable line for a failed comparison. */
export function describeMismatch(label: string, comparison: TComparison, allowed: number, reference: TNumbers, actual: TNumbers): string {
  const at = comparison.worstIndex;
  return (
    `${label}: max error ${comparison.maxAbsError.toExponential(3)} > allowed ${allowed.toExponential(3)} ` +
    `(max |reference| ${comparison.maxAbsReference.toFixed(4)}; at flat index ${at}: reference ${reference[at]}, got ${actual[at]}; ` +
    `${reference.length} vs ${actual.length} elements)`
  );
}
