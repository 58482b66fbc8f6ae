import { isPipelineError } from '@tsfx/shared';
import { describe, expect, it } from 'vitest';
import { BLESSING_MESSAGES, decideBlessing } from './blessing';
import { ZBlessing, type TBlessing, type TThresholdConfigInput } from './schemas';
import { evaluationWithMetrics } from './testing/fixtures';

// Slices of the fixture: Overall, island:Biscoe, island:Dream, year:2008, species:Adelie, species:Gentoo.
const ALL_SLICES = ['Overall', 'island:Biscoe', 'island:Dream', 'year:2008', 'species:Adelie', 'species:Gentoo'];

function candidate(metrics: Record<string, number>, perSlice: Record<string, Record<string, number>> = {}) {
  return evaluationWithMetrics({ '*': metrics, ...perSlice }, { modelId: 'candidate-7' });
}

function baseline(metrics: Record<string, number>, perSlice: Record<string, Record<string, number>> = {}) {
  return evaluationWithMetrics({ '*': metrics, ...perSlice }, { modelId: 'model-3', servingVersion: 1700000000 });
}

function bless(c: ReturnType<typeof candidate>, b: ReturnType<typeof baseline> | undefined, config: TThresholdConfigInput): TBlessing {
  const blessing = decideBlessing(c, b, config);
  expect(ZBlessing.parse(JSON.parse(JSON.stringify(blessing)))).toEqual(blessing);
  return blessing;
}

describe('decideBlessing: value thresholds (inclusive bounds, unset = ∓∞)', () => {
  it('passes a value exactly on either bound', () => {
    const c = candidate({ accuracy: 0.85, loss: 0.4 });
    const blessing = bless(c, undefined, {
      thresholds: [
        { metric: 'accuracy', value: { lower: 0.85, upper: 0.85 } },
        { metric: 'loss', value: { upper: 0.4 } },
      ],
    });
    expect(blessing.blessed).toBe(true);
    expect(blessing.checks.filter((ch) => ch.status === 'passed')).toHaveLength(2 * ALL_SLICES.length);
    expect(blessing.reasons).toEqual([]);
  });

  it('fails just outside a bound, naming metric, slice, value and bound', () => {
    const blessing = bless(candidate({ accuracy: 0.8499999 }), undefined, { thresholds: [{ metric: 'accuracy', value: { lower: 0.85 }, slice: {} }] });
    expect(blessing.blessed).toBe(false);
    expect(blessing.reasons).toEqual(['accuracy on slice Overall is 0.8499999, below the lower bound 0.85 (value threshold [0.85, +∞])']);
    const above = bless(candidate({ loss: 0.61 }), undefined, { thresholds: [{ metric: 'loss', value: { upper: 0.5 }, slice: {} }] });
    expect(above.reasons).toEqual(['loss on slice Overall is 0.61, above the upper bound 0.5 (value threshold [-∞, 0.5])']);
  });

  it('an unset lower bound is −∞ and an unset upper bound +∞', () => {
    const c = candidate({ score: -1e300, other: 1e300 });
    const blessing = bless(c, undefined, {
      thresholds: [
        { metric: 'score', value: { upper: 0 } },
        { metric: 'other', value: { lower: 0 } },
      ],
    });
    expect(blessing.blessed).toBe(true);
  });
});

describe('decideBlessing: change thresholds on d = candidate − baseline', () => {
  it('absolute, HIGHER_IS_BETTER: d ≥ absolute, equality passing ("not worse" idiom -1e-10)', () => {
    const notWorse = { thresholds: [{ metric: 'accuracy', slice: {}, change: { direction: 'HIGHER_IS_BETTER' as const, absolute: -1e-10 } }] };
    expect(bless(candidate({ accuracy: 0.9 }), baseline({ accuracy: 0.9 }), notWorse).blessed).toBe(true);
    const worse = bless(candidate({ accuracy: 0.89 }), baseline({ accuracy: 0.9 }), notWorse);
    expect(worse.blessed).toBe(false);
    expect(worse.reasons[0]).toMatch(/^accuracy on slice Overall: candidate 0\.89 vs baseline 0\.9, change -0\.01\d* is not ≥ absolute -1e-10 \(HIGHER_IS_BETTER\)$/);
    const atBound = { thresholds: [{ metric: 'accuracy', slice: {}, change: { direction: 'HIGHER_IS_BETTER' as const, absolute: 0.25 } }] };
    expect(bless(candidate({ accuracy: 0.75 }), baseline({ accuracy: 0.5 }), atBound).blessed).toBe(true);
  });

  it('absolute, LOWER_IS_BETTER: d ≤ absolute', () => {
    const config = { thresholds: [{ metric: 'loss', slice: {}, change: { direction: 'LOWER_IS_BETTER' as const, absolute: 0.125 } }] };
    expect(bless(candidate({ loss: 0.625 }), baseline({ loss: 0.5 }), config).blessed).toBe(true); // d = 0.125
    expect(bless(candidate({ loss: 0.75 }), baseline({ loss: 0.5 }), config).blessed).toBe(false); // d = 0.25
  });

  it('relative is (c − b)/b, not c/b, and passes at equality', () => {
    // c = 0.625, b = 0.5: (c − b)/b = 0.25 (c/b would be 1.25).
    const at = { thresholds: [{ metric: 'auc', slice: {}, change: { direction: 'HIGHER_IS_BETTER' as const, relative: 0.25 } }] };
    const passed = bless(candidate({ auc: 0.625 }), baseline({ auc: 0.5 }), at);
    expect(passed.blessed).toBe(true);
    expect(passed.checks[0]).toMatchObject({ candidate: 0.625, baseline: 0.5, diff: 0.125, relativeDiff: 0.25, status: 'passed' });
    const ratioReading = { thresholds: [{ metric: 'auc', slice: {}, change: { direction: 'HIGHER_IS_BETTER' as const, relative: 1 } }] };
    const failed = bless(candidate({ auc: 0.625 }), baseline({ auc: 0.5 }), ratioReading);
    expect(failed.blessed).toBe(false);
    expect(failed.reasons[0]).toBe('auc on slice Overall: candidate 0.625 vs baseline 0.5, relative change (c − b)/b = +0.25 is not ≥ relative 1 (HIGHER_IS_BETTER)');
    const lower = { thresholds: [{ metric: 'loss', slice: {}, change: { direction: 'LOWER_IS_BETTER' as const, relative: -0.25 } }] };
    expect(bless(candidate({ loss: 0.375 }), baseline({ loss: 0.5 }), lower).blessed).toBe(true);
    expect(bless(candidate({ loss: 0.4 }), baseline({ loss: 0.5 }), lower).blessed).toBe(false);
  });

  it('relative with a baseline of 0 fails (TFMA ratio NaN), absolute is judged on its own', () => {
    const relative = { thresholds: [{ metric: 'precision/Gentoo', slice: {}, change: { direction: 'HIGHER_IS_BETTER' as const, relative: -1 } }] };
    const blessing = bless(candidate({ 'precision/Gentoo': 0.5 }), baseline({ 'precision/Gentoo': 0 }), relative);
    expect(blessing.blessed).toBe(false);
    expect(blessing.checks[0]).toMatchObject({ baseline: 0, diff: 0.5, relativeDiff: null, status: 'failed' });
    expect(blessing.reasons[0]).toMatch(/precision\/Gentoo on slice Overall: candidate 0\.5 vs baseline 0, relative change is undefined \(NaN\) because the baseline is 0/);
    const absolute = { thresholds: [{ metric: 'precision/Gentoo', slice: {}, change: { direction: 'HIGHER_IS_BETTER' as const, absolute: 0 } }] };
    expect(bless(candidate({ 'precision/Gentoo': 0.5 }), baseline({ 'precision/Gentoo': 0 }), absolute).blessed).toBe(true);
  });

  it('absolute and relative together: both must pass', () => {
    const both = { thresholds: [{ metric: 'auc', slice: {}, change: { direction: 'HIGHER_IS_BETTER' as const, absolute: 0.1, relative: 0.5 } }] };
    // d = 0.125 ≥ 0.1 passes, r = 0.25 < 0.5 fails.
    const blessing = bless(candidate({ auc: 0.625 }), baseline({ auc: 0.5 }), both);
    expect(blessing.blessed).toBe(false);
    expect(blessing.reasons[0]).toMatch(/relative change \(c − b\)\/b = \+0\.25 is not ≥ relative 0\.5/);
    expect(blessing.reasons[0]).not.toMatch(/absolute/);
    const easier = { thresholds: [{ metric: 'auc', slice: {}, change: { direction: 'HIGHER_IS_BETTER' as const, absolute: 0.1, relative: 0.25 } }] };
    const passed = bless(candidate({ auc: 0.625 }), baseline({ auc: 0.5 }), easier);
    expect(passed.blessed).toBe(true);
    expect(passed.checks[0]?.reason).toMatch(/change \+0\.125 ≥ absolute 0\.1 and relative change \(c − b\)\/b = \+0\.25 ≥ relative 0\.25/);
  });

  it('requires a direction (INVALID_INPUT, like TFMA recording its ValueError as a failure)', () => {
    const config = { thresholds: [{ metric: 'auc', change: { absolute: 0 } }] } as unknown as TThresholdConfigInput;
    let caught: unknown;
    try {
      decideBlessing(candidate({ auc: 0.5 }), baseline({ auc: 0.5 }), config);
    } catch (error) {
      caught = error;
    }
    expect(isPipelineError(caught) && caught.code).toBe('INVALID_INPUT');
    expect(String(caught)).toMatch(/invalid threshold config: thresholds\.0\.change\.direction/);
  });

  it('a metric the baseline lacks, or a slice it lacks, fails', () => {
    const config = { thresholds: [{ metric: 'auc', change: { direction: 'HIGHER_IS_BETTER' as const, absolute: 0 } }] };
    const c = candidate({ auc: 0.9 });
    const b = baseline({ auc: 0.8 }, { 'island:Dream': {} });
    b.slices = b.slices.filter((s) => s.key !== 'year:2008');
    const blessing = bless(c, b, config);
    expect(blessing.blessed).toBe(false);
    expect(blessing.reasons).toEqual([
      expect.stringMatching(/^auc on slice island:Dream: metric not found in the baseline's evaluation/),
      'auc on slice year:2008: slice year:2008 not found in the baseline\'s evaluation',
    ]);
  });
});

describe('decideBlessing: rubber stamp and missing thresholds', () => {
  const config = {
    thresholds: [
      { metric: 'accuracy', value: { lower: 0.5 }, change: { direction: 'HIGHER_IS_BETTER' as const, absolute: -1e-10 } },
      { metric: 'loss', slice: {}, change: { direction: 'LOWER_IS_BETTER' as const, absolute: 0 } },
    ],
  };

  it('no baseline: change thresholds are skipped and said so, value thresholds checked (TFX messages)', () => {
    const blessed = bless(candidate({ accuracy: 0.9, loss: 0.3 }), undefined, config);
    expect(blessed).toMatchObject({ blessed: true, validated: true, rubberStamped: true, baselineModel: null, candidateModel: { id: 'candidate-7' } });
    expect(blessed.message).toBe(
      'The model was rubber stamped (no baseline models found) and blessed. Any change thresholds were ignored, but value thresholds were checked and passed.',
    );
    const skipped = blessed.checks.filter((ch) => ch.status === 'skipped');
    expect(skipped.map((ch) => [ch.metric, ch.slice])).toEqual([
      ['accuracy', 'every slice'],
      ['loss', 'Overall'],
    ]);
    expect(skipped[0]?.reason).toMatch(/change threshold on accuracy \(every slice\) ignored: no baseline model was found, so the model was rubber stamped/);

    const notBlessed = bless(candidate({ accuracy: 0.4, loss: 0.3 }), undefined, config);
    expect(notBlessed.blessed).toBe(false);
    expect(notBlessed.message).toBe(BLESSING_MESSAGES.rubberStampedNotBlessed);
    expect(notBlessed.message).toMatch(/rubber stamped \(no baseline models found\) and not blessed\. Any change thresholds were ignored, but value thresholds were checked and failed\./);
  });

  it('with a baseline both kinds are checked', () => {
    const blessing = bless(candidate({ accuracy: 0.9, loss: 0.3 }), baseline({ accuracy: 0.9, loss: 0.31 }), config);
    expect(blessing).toMatchObject({ blessed: true, rubberStamped: false, baselineModel: { id: 'model-3', servingVersion: 1700000000 } });
    expect(blessing.message).toBe(BLESSING_MESSAGES.notRubberStampedBlessed);
    expect(blessing.checks.filter((ch) => ch.kind === 'change')).toHaveLength(ALL_SLICES.length + 1);
    const failed = bless(candidate({ accuracy: 0.9, loss: 0.3 }), baseline({ accuracy: 0.9, loss: 0.29 }), config);
    expect(failed.message).toBe(
      'The model was not rubber stamped (a baseline model was found) and not blessed. Change thresholds and value thresholds were checked and there were failures.',
    );
  });

  it('no thresholds: not validated, not blessed, and the reason says thresholds are required', () => {
    for (const empty of [{ thresholds: [] }, {}]) {
      const blessing = bless(candidate({ accuracy: 1 }), baseline({ accuracy: 0.5 }), empty);
      expect(blessing).toMatchObject({ blessed: false, validated: false, checks: [] });
      expect(blessing.reasons).toHaveLength(1);
      expect(blessing.reasons[0]).toMatch(/no thresholds are configured.*avoid accidentally blessing models when users forget to set thresholds/);
    }
  });

  it('only change thresholds and no baseline: nothing is left to validate, so not blessed (as TFX)', () => {
    const onlyChange = { thresholds: [{ metric: 'auc', change: { direction: 'HIGHER_IS_BETTER' as const, absolute: 0 } }] };
    const blessing = bless(candidate({ auc: 0.99 }), undefined, onlyChange);
    expect(blessing).toMatchObject({ blessed: false, validated: false, rubberStamped: true });
    expect(blessing.message).toBe(BLESSING_MESSAGES.onlyChangeThresholdsWithoutBaseline);
    expect(blessing.checks.map((ch) => ch.status)).toEqual(['skipped']);
  });
});

describe('decideBlessing: slices and missing metrics', () => {
  it('a threshold without a slice applies to every slice, Overall and label slices included', () => {
    const c = candidate({ accuracy: 0.9 }, { 'island:Dream': { accuracy: 0.7 }, 'species:Gentoo': { accuracy: 0.6 } });
    const blessing = bless(c, undefined, { thresholds: [{ metric: 'accuracy', value: { lower: 0.8 } }] });
    expect(blessing.checks.map((ch) => ch.slice)).toEqual(ALL_SLICES);
    expect(blessing.blessed).toBe(false);
    expect(blessing.reasons).toEqual([
      'accuracy on slice island:Dream is 0.7, below the lower bound 0.8 (value threshold [0.8, +∞])',
      'accuracy on slice species:Gentoo is 0.6, below the lower bound 0.8 (value threshold [0.8, +∞])',
    ]);
  });

  it('a sliced threshold applies only where its spec matches: {} Overall, {feature} every value, {feature, value} one', () => {
    const c = candidate({ accuracy: 0.9 }, { 'island:Dream': { accuracy: 0.7 } });
    const slicesOf = (slice: { feature?: string; value?: string | number }) =>
      bless(c, undefined, { thresholds: [{ metric: 'accuracy', slice, value: { lower: 0.5 } }] }).checks.map((ch) => ch.slice);
    expect(slicesOf({})).toEqual(['Overall']);
    expect(slicesOf({ feature: 'island' })).toEqual(['island:Biscoe', 'island:Dream']);
    expect(slicesOf({ feature: 'island', value: 'Dream' })).toEqual(['island:Dream']);
    expect(slicesOf({ feature: 'year', value: '2008' })).toEqual(['year:2008']);
    expect(slicesOf({ feature: 'species', value: 'Gentoo' })).toEqual(['species:Gentoo']);
    const onBiscoe = bless(c, undefined, { thresholds: [{ metric: 'accuracy', slice: { feature: 'island', value: 'Biscoe' }, value: { lower: 0.8 } }] });
    expect(onBiscoe.blessed).toBe(true);
  });

  it('a slice spec that matches no computed slice fails (TFMA missing_slices)', () => {
    const blessing = bless(candidate({ accuracy: 0.9 }), undefined, {
      thresholds: [{ metric: 'accuracy', slice: { feature: 'island', value: 'Torgersen' }, value: { lower: 0.5 } }],
    });
    expect(blessing.blessed).toBe(false);
    expect(blessing.reasons[0]).toMatch(/^accuracy on slice island:Torgersen: no such slice was computed \(slices: Overall, island:Biscoe, island:Dream, year:2008/);
  });

  it('a metric the candidate lacks fails: unknown names list the metrics, undefined ones say why', () => {
    const typo = bless(candidate({ accuracy: 0.9 }), undefined, { thresholds: [{ metric: 'acuracy', slice: {}, value: { lower: 0.5 } }] });
    expect(typo.blessed).toBe(false);
    expect(typo.checks[0]).toMatchObject({ status: 'failed', candidate: null });
    expect(typo.reasons[0]).toBe("acuracy on slice Overall: metric not found in the candidate's evaluation (metrics are: accuracy)");

    // Real metrics: AUC is undefined on a label slice, where only one class occurs.
    const real = evaluationWithMetrics({});
    const auc = bless(real, undefined, { thresholds: [{ metric: 'auc', value: { lower: 0 } }] });
    expect(auc.blessed).toBe(false);
    expect(auc.reasons).toEqual([
      "auc on slice species:Adelie: metric not found in the candidate's evaluation: only one class (Adelie) is present among the labels, so ROC AUC is undefined",
      "auc on slice species:Gentoo: metric not found in the candidate's evaluation: only one class (Gentoo) is present among the labels, so ROC AUC is undefined",
    ]);
  });

  it('warns when the baseline was evaluated on other data', () => {
    const b = evaluationWithMetrics({ '*': { accuracy: 0.9 } }, { modelId: 'model-3', repeat: 2 });
    const blessing = bless(candidate({ accuracy: 0.9 }), b, { thresholds: [{ metric: 'accuracy', slice: {}, value: { lower: 0.5 } }] });
    expect(blessing.warnings).toEqual(['The baseline was evaluated on 8 examples and the candidate on 4: change thresholds compare metrics of different data.']);
  });
});
