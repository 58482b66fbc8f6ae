import { describe, expect, it } from 'vitest';
import { describeSliceSpec, sliceKey, sliceMatchesSpec } from './slice-keys';

describe('slice keys and specs', () => {
  const overall = { feature: null, value: null };
  const dream = { feature: 'island', value: 'Dream' };
  const year = { feature: 'year', value: 2008 };

  it('matches like a TFMA SlicingSpec: {} Overall only, {feature} its slices, {feature, value} one', () => {
    expect(sliceMatchesSpec(overall, {})).toBe(true);
    expect(sliceMatchesSpec(dream, {})).toBe(false);
    expect(sliceMatchesSpec(dream, { feature: 'island' })).toBe(true);
    expect(sliceMatchesSpec(overall, { feature: 'island' })).toBe(false);
    expect(sliceMatchesSpec(dream, { feature: 'island', value: 'Dream' })).toBe(true);
    expect(sliceMatchesSpec(dream, { feature: 'island', value: 'Biscoe' })).toBe(false);
    expect(sliceMatchesSpec(year, { feature: 'year', value: '2008' })).toBe(true);
  });

  it('names slices and specs in TFMA text form', () => {
    expect(sliceKey('year', 2008)).toBe('year:2008');
    expect(describeSliceSpec(undefined)).toBe('every slice');
    expect(describeSliceSpec({})).toBe('Overall');
    expect(describeSliceSpec({ feature: 'island' })).toBe('island:*');
    expect(describeSliceSpec({ feature: 'island', value: 'Dream' })).toBe('island:Dream');
  });
});
