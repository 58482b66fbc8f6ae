import { type TSliceSpec, type TSliceValue } from './schemas';

/**
 * Slice keys in TFMA's text form (`Overall`, `feature:value`) and the matching of a threshold's
 * slice spec against computed slices (TFMA `SingleSliceSpec.is_slice_applicable`).
 */

export const OVERALL_SLICE_KEY = 'Overall';

/** A computed slice: Overall has no feature and no value. */
export type TSliceIdentity = { feature: string | null; value: TSliceValue | null };

export function sliceKey(feature: string, value: TSliceValue): string {
  return `${feature}:${String(value)}`;
}

/**
 * `{}` matches only Overall, `{ feature }` every slice of the feature, `{ feature, value }` the one
 * slice whose value reads the same as text (`2008` matches `'2008'`), as TFMA compares slice values.
 */
export function sliceMatchesSpec(slice: TSliceIdentity, spec: TSliceSpec): boolean {
  if (spec.feature === undefined) return slice.feature === null;
  if (slice.feature !== spec.feature) return false;
  return spec.value === undefined || String(slice.value) === String(spec.value);
}

/** The spec in slice-key form, `*` standing for every value: `Overall`, `island:*`, `island:Biscoe`. */
export function describeSliceSpec(spec: TSliceSpec | undefined): string {
  if (spec === undefined) return 'every slice';
  if (spec.feature === undefined) return OVERALL_SLICE_KEY;
  return spec.value === undefined ? `${spec.feature}:*` : sliceKey(spec.feature, spec.value);
}
