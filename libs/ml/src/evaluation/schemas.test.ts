import { describe, expect, it } from 'vitest';
import { ZThresholdConfig } from './schemas';

function issues(config: unknown): string[] {
  const result = ZThresholdConfig.safeParse(config);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('ZThresholdConfig', () => {
  it('accepts the documented shape and defaults to no thresholds', () => {
    expect(
      issues({
        thresholds: [
          { metric: 'accuracy', value: { lower: 0.8 } },
          { metric: 'recall/Adelie', slice: { feature: 'island', value: 'Dream' }, value: { lower: 0.5, upper: 1 } },
          { metric: 'auc', slice: {}, change: { direction: 'HIGHER_IS_BETTER', absolute: -1e-10, relative: -0.01 } },
        ],
      }),
    ).toEqual([]);
    expect(ZThresholdConfig.parse({})).toEqual({ thresholds: [] });
  });

  it('refuses thresholds that could never mean what was written', () => {
    expect(issues({ thresholds: [{ metric: 'accuracy' }] })).toEqual(['thresholds.0: threshold on "accuracy" needs a value and/or a change threshold']);
    expect(issues({ thresholds: [{ metric: 'accuracy', value: {} }] })).toEqual(['thresholds.0.value: a value threshold needs lower and/or upper']);
    expect(issues({ thresholds: [{ metric: 'accuracy', value: { lower: 0.9, upper: 0.8 } }] })).toEqual([
      'thresholds.0.value: lower (0.9) is greater than upper (0.8), so no value can pass',
    ]);
    expect(issues({ thresholds: [{ metric: 'auc', change: { direction: 'HIGHER_IS_BETTER' } }] })).toEqual([
      'thresholds.0.change: a change threshold needs absolute and/or relative',
    ]);
    expect(issues({ thresholds: [{ metric: 'auc', change: { direction: 'UNKNOWN', absolute: 0 } }] })[0]).toMatch(/^thresholds\.0\.change\.direction:/);
    expect(issues({ thresholds: [{ metric: 'auc', slice: { value: 'Dream' }, value: { lower: 0 } }] })).toEqual(['thresholds.0.slice: a slice value needs its feature']);
    // Typos are not silently ignored.
    expect(issues({ thresholds: [{ metric: 'auc', value: { lowerBound: 0.5 } }] }).join()).toMatch(/lowerBound/);
  });
});
