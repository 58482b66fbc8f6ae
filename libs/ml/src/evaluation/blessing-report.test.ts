import { describe, expect, it } from 'vitest';
import { decideBlessing } from './blessing';
import { formatBlessingReport } from './blessing-report';
import { evaluationWithMetrics } from './testing/fixtures';

const candidate = evaluationWithMetrics({ '*': { accuracy: 0.9, loss: 0.3 }, 'island:Dream': { accuracy: 0.7, loss: 0.3 } }, { modelId: 'cand-1' });
const baseline = evaluationWithMetrics({ '*': { accuracy: 0.8, loss: 0.25 } }, { modelId: 'model-3', servingVersion: 1700000000 });
const config = {
  thresholds: [
    { metric: 'accuracy', value: { lower: 0.75 } },
    { metric: 'loss', slice: {}, change: { direction: 'LOWER_IS_BETTER' as const, absolute: 0.01 } },
  ],
};

describe('formatBlessingReport', () => {
  it('text: verdict, models, every failure reason, passed count', () => {
    const text = formatBlessingReport(decideBlessing(candidate, baseline, config));
    expect(text.split('\n')).toEqual([
      'NOT BLESSED: The model was not rubber stamped (a baseline model was found) and not blessed. Change thresholds and value thresholds were checked and there were failures.',
      'Candidate: cand-1. Baseline: model-3 (serving version 1700000000).',
      'Failed (2):',
      '  ✗ accuracy on slice island:Dream is 0.7, below the lower bound 0.75 (value threshold [0.75, +∞])',
      expect.stringMatching(/^ {2}✗ loss on slice Overall: candidate 0\.3 vs baseline 0\.25, change \+0\.05\d* is not ≤ absolute 0\.01 \(LOWER_IS_BETTER\)$/),
      'Passed: 5 checks.',
    ]);
  });

  it('text: rubber-stamped checks are listed as skipped; no thresholds says why', () => {
    const rubber = formatBlessingReport(decideBlessing(candidate, undefined, { thresholds: [config.thresholds[1]!, { metric: 'loss', value: { upper: 1 } }] }));
    expect(rubber).toMatch(/^BLESSED: The model was rubber stamped/);
    expect(rubber).toMatch(/Skipped \(1\):\n {2}- change threshold on loss \(Overall\) ignored/);
    const none = formatBlessingReport(decideBlessing(candidate, undefined, {}));
    expect(none.split('\n')[0]).toMatch(/^NOT BLESSED: The model was not validated and is not blessed: no thresholds are configured/);
    expect(none).toMatch(/Baseline: none\./);
  });

  it('markdown: a table of checks, failures first, with changes and escaped cells', () => {
    const md = formatBlessingReport(decideBlessing(candidate, baseline, config), 'markdown');
    expect(md).toMatch(/^### ❌ Not blessed\n/);
    const rows = md.split('\n').filter((line) => line.startsWith('| '));
    expect(rows[0]).toBe('| Status | Slice | Metric | Threshold | Candidate | Baseline | Change |');
    expect(rows[1]).toBe('| ❌ failed | island:Dream | accuracy | value in \\[0.75, +∞\\] | 0.7 | — | — |');
    expect(rows[2]).toMatch(/^\| ❌ failed \| Overall \| loss \| Δ ≤ 0\.01 \| 0\.3 \| 0\.25 \| \+0\.05\d* \(\+20%\) \|$/);
    expect(rows).toHaveLength(1 + 7);
    expect(md).toMatch(/\*\*Reasons\*\*\n\n- accuracy on slice island:Dream is 0\.7/);
  });
});
