import { describe, expect, it } from 'vitest';
import { formatDistinct, formatNumber, formatSigned } from './format-number';

describe('formatDistinct', () => {
  it('prints 6 significant digits, more only where two different numbers would print alike', () => {
    expect(formatDistinct([0.123456789, 0.5])).toEqual(['0.123457', '0.5']);
    expect(formatDistinct([0.8499999, 0.85])).toEqual(['0.8499999', '0.85']);
    expect(formatDistinct([0.85, 0.85])).toEqual(['0.85', '0.85']);
    expect(formatDistinct([1 - 1e-15, 1])).toEqual(['0.999999999999999', '1']);
  });

  it('prints infinities and NaN readably', () => {
    expect(formatDistinct([-Infinity, Infinity, NaN, NaN])).toEqual(['-∞', '+∞', 'NaN', 'NaN']);
    expect(formatNumber(-1e-10)).toBe('-1e-10');
    expect(formatSigned('0.25')).toBe('+0.25');
    expect(formatSigned('-0.25')).toBe('-0.25');
  });
});
