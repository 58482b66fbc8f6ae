import { isPipelineError } from '@tsfx/shared';
import { describe, expect, it } from 'vitest';
import { createEvaluationAccumulator, evaluateClassification } from './accumulator';
import { ZEvaluation, type TEvaluation, type TSliceMetrics } from './schemas';
import { pairwiseAuc, randomPredictions } from './testing/fixtures';

/**
 * Six examples, classes A, B, C. Predictions (argmax) A, B, C, A, C, A against labels A, B, B, C, C, A:
 * confusion rows (true) A: [2,0,0], B: [0,1,1], C: [1,0,1].
 */
const HAND = {
  classNames: ['A', 'B', 'C'],
  probabilities: [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.3, 0.5, 0.6, 0.3, 0.1, 0.1, 0.1, 0.8, 0.5, 0.4, 0.1],
  labels: [0, 1, 1, 2, 2, 0],
  island: ['Biscoe', 'Dream', 'Biscoe', null, 'Dream', 'Biscoe'],
};

function slice(evaluation: TEvaluation, key: string): TSliceMetrics {
  const found = [evaluation.overall, ...evaluation.slices].find((s) => s.key === key);
  if (!found) throw new Error(`no slice ${key}`);
  return found;
}

function expectInvalidInput(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isPipelineError(caught) && caught.code).toBe('INVALID_INPUT');
  expect((caught as Error).message).toMatch(message);
}

describe('evaluateClassification: hand-computed metrics', () => {
  const evaluation = evaluateClassification({ ...HAND, sliceBy: ['island'], sliceValues: { island: HAND.island }, labelFeature: 'species' });
  const overall = evaluation.overall.metrics;

  it('counts, accuracy and the confusion matrix', () => {
    expect(overall.exampleCount).toBe(6);
    expect(overall.accuracy).toBeCloseTo(4 / 6, 15);
    expect(overall.confusionMatrix).toEqual([
      [2, 0, 0],
      [0, 1, 1],
      [1, 0, 1],
    ]);
  });

  it('loss is the mean categorical cross-entropy of the true class', () => {
    const expected = -(Math.log(0.7) + Math.log(0.8) + Math.log(0.3) + Math.log(0.1) + Math.log(0.8) + Math.log(0.5)) / 6;
    expect(overall.loss).toBeCloseTo(expected, 12);
    expect(overall.metrics.loss).toBe(overall.loss);
  });

  it('per-class precision, recall and F1, macro and weighted averages', () => {
    expect(overall.perClass.map((c) => [c.className, c.precision, c.recall, c.f1, c.support, c.predictedCount])).toEqual([
      ['A', 2 / 3, 1, 0.8, 2, 3],
      ['B', 1, 0.5, 2 / 3, 2, 1],
      ['C', 0.5, 0.5, 0.5, 2, 2],
    ]);
    expect(overall.macro.precision).toBeCloseTo((2 / 3 + 1 + 0.5) / 3, 15);
    expect(overall.macro.recall).toBeCloseTo(2 / 3, 15);
    expect(overall.macro.f1).toBeCloseTo((0.8 + 2 / 3 + 0.5) / 3, 15);
    // Equal supports: weighted equals macro.
    expect(overall.weighted.f1).toBeCloseTo(overall.macro.f1, 15);
  });

  it('one-vs-rest AUC per class and its macro mean, ties counting half', () => {
    // A: positives 0.7, 0.5 vs 0.1, 0.2, 0.6, 0.1 → 4 + 3 = 7/8. B: 0.8, 0.3 vs 0.2, 0.3, 0.1, 0.4 → 4 + 2.5.
    // C: 0.1, 0.8 vs 0.1, 0.1, 0.5, 0.1 → 1.5 + 4.
    expect(overall.aucPerClass).toEqual([7 / 8, 6.5 / 8, 5.5 / 8]);
    expect(overall.auc).toBeCloseTo((7 + 6.5 + 5.5) / 24, 15);
  });

  it('calibration bins of the top-class probability', () => {
    expect(overall.calibration.bins.map((b) => b.count)).toEqual([0, 0, 0, 0, 2, 1, 1, 2, 0, 0]);
    expect(overall.calibration.ece).toBeCloseTo(0.6 / 6 + 0.3 / 6 + 0.4 / 6, 12);
  });

  it('flat metric map with stable names', () => {
    expect(overall.metrics).toMatchObject({
      example_count: 6,
      accuracy: overall.accuracy,
      auc: overall.auc,
      'auc/A': 7 / 8,
      'precision/A': 2 / 3,
      'recall/B': 0.5,
      'f1/C': 0.5,
      macro_precision: overall.macro.precision,
      macro_recall: overall.macro.recall,
      macro_f1: overall.macro.f1,
      weighted_precision: overall.weighted.precision,
      weighted_recall: overall.weighted.recall,
      weighted_f1: overall.weighted.f1,
      ece: overall.calibration.ece,
    });
    expect(overall.undefinedMetrics).toEqual({});
  });

  it('slices by feature value (missing values in no slice) and by label, in a stable order', () => {
    expect([evaluation.overall, ...evaluation.slices].map((s) => [s.key, s.metrics.exampleCount])).toEqual([
      ['Overall', 6],
      ['island:Biscoe', 3],
      ['island:Dream', 2],
      ['species:A', 2],
      ['species:B', 2],
      ['species:C', 2],
    ]);
    expect(evaluation.slicing).toEqual({ features: [{ feature: 'island', sliceCount: 2, missingCount: 1 }], labelFeature: 'species' });
    // Biscoe: rows 1, 3, 6 → correct, wrong (B predicted C), correct.
    expect(slice(evaluation, 'island:Biscoe').metrics.accuracy).toBeCloseTo(2 / 3, 15);
  });

  it('a label slice: sklearn zero_division=0 for a predicted-only class, undefined for an absent one, AUC undefined', () => {
    const b = slice(evaluation, 'species:B').metrics;
    expect(b.accuracy).toBe(0.5);
    expect(b.perClass.map((c) => [c.precision, c.recall, c.f1])).toEqual([
      [null, null, null], // A neither occurs nor is predicted
      [1, 0.5, 2 / 3],
      [0, 0, 0], // C predicted once, never true
    ]);
    expect(b.macro).toEqual({ precision: 0.5, recall: 0.25, f1: 1 / 3 });
    expect(b.weighted).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3 });
    expect(b.auc).toBeNull();
    expect(b.metrics).not.toHaveProperty('precision/A');
    expect(b.metrics).not.toHaveProperty('auc');
    expect(b.undefinedMetrics['precision/A']).toMatch(/class A neither occurs nor is predicted/);
    expect(b.undefinedMetrics['auc']).toMatch(/one-vs-rest ROC AUC is undefined for A, B, C/);
    expect(b.undefinedMetrics['auc/B']).toMatch(/every example of this slice \(2\) is B/);
  });

  it('is valid evaluation.json and survives a JSON round trip unchanged', () => {
    const parsed = ZEvaluation.parse(JSON.parse(JSON.stringify(evaluation)));
    expect(parsed).toEqual(evaluation);
  });
});

describe('evaluateClassification: binary tasks and loss clipping', () => {
  it('AUC of the second class; undefined with a reason when one class is missing', () => {
    const p1 = [0.9, 0.8, 0.7, 0.3, 0.3, 0.1];
    const evaluation = evaluateClassification({
      classNames: ['neg', 'pos'],
      probabilities: p1.flatMap((p) => [1 - p, p]),
      labels: [1, 0, 1, 0, 1, 0],
    });
    expect(evaluation.overall.metrics.auc).toBeCloseTo(6.5 / 9, 15);
    expect(evaluation.overall.metrics.aucPerClass).toBeNull();
    const pos = slice(evaluation, 'label:pos').metrics;
    expect(pos.auc).toBeNull();
    expect(pos.undefinedMetrics['auc']).toMatch(/only one class \(pos\)/);
  });

  it('clips probabilities to [1e-7, 1 − 1e-7] like Keras', () => {
    const evaluation = evaluateClassification({ classNames: ['a', 'b'], probabilities: [1, 0, 1, 0], labels: [1, 0], labelFeature: null });
    expect(evaluation.overall.metrics.loss).toBeCloseTo((-Math.log(1e-7) - Math.log(1 - 1e-7)) / 2, 12);
    expect(evaluation.slices).toEqual([]);
  });

  it('normalizes rows by their sum before the cross-entropy, as Keras does', () => {
    const evaluation = evaluateClassification({ classNames: ['a', 'b'], probabilities: [0.3004, 0.7004], labels: [1] });
    expect(evaluation.overall.metrics.loss).toBeCloseTo(-Math.log(0.7004 / 1.0008), 12);
  });
});

describe('createEvaluationAccumulator: streaming', () => {
  it('gives the same result over batches as in one call', () => {
    const n = 997;
    const k = 4;
    const { probabilities, labels } = randomPredictions({ seed: 11, n, k });
    const colour = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : ['red', 'green', 'blue'][i % 3] as string));
    const size = Array.from({ length: n }, (_, i) => (i % 5) * 10);
    const options = { classNames: ['w', 'x', 'y', 'z'], sliceBy: ['colour', 'size'], model: { id: 'm1' } };
    const oneShot = evaluateClassification({ ...options, probabilities, labels, sliceValues: { colour, size } });

    const accumulator = createEvaluationAccumulator(options);
    for (const [start, end] of [[0, 1], [1, 300], [300, 301], [301, 997]] as const) {
      accumulator.add(probabilities.subarray(start * k, end * k), labels.subarray(start, end), { colour: colour.slice(start, end), size: size.slice(start, end) });
    }
    expect(accumulator.exampleCount).toBe(n);
    expect(accumulator.finish()).toEqual(oneShot);
    expect(oneShot.slices.map((s) => s.key).slice(0, 8)).toEqual([
      'colour:blue',
      'colour:green',
      'colour:red',
      'size:0',
      'size:10',
      'size:20',
      'size:30',
      'size:40',
    ]);
    expect(oneShot.model).toEqual({ id: 'm1' });
  });

  it('per-class one-vs-rest AUC of every slice equals the pairwise definition', () => {
    const n = 300;
    const k = 3;
    const { probabilities, labels } = randomPredictions({ seed: 5, n, k, levels: 3 });
    const group = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'even' : 'odd'));
    const evaluation = evaluateClassification({ classNames: ['a', 'b', 'c'], probabilities, labels, sliceBy: ['group'], sliceValues: { group } });
    for (const s of [evaluation.overall, slice(evaluation, 'group:even'), slice(evaluation, 'group:odd')]) {
      const rows = Array.from({ length: n }, (_, i) => i).filter((i) => s.key === 'Overall' || group[i] === s.value);
      for (let c = 0; c < k; c++) {
        const expected = pairwiseAuc(
          rows.map((i) => probabilities[i * k + c] as number),
          rows.map((i) => (labels[i] === c ? 1 : 0)),
        );
        expect(s.metrics.aucPerClass?.[c]).toBeCloseTo(expected as number, 12);
      }
    }
  });

  it('treats values that read the same as text as one slice', () => {
    const evaluation = evaluateClassification({
      classNames: ['a', 'b'],
      probabilities: [0.9, 0.1, 0.2, 0.8],
      labels: [0, 1],
      sliceBy: ['year'],
      sliceValues: { year: [2008, '2008'] },
      labelFeature: null,
    });
    expect(evaluation.slices.map((s) => [s.key, s.value, s.metrics.exampleCount])).toEqual([['year:2008', 2008, 2]]);
  });

  it('refuses bad batches with what was expected, and leaves no trace of a refused batch', () => {
    const accumulator = createEvaluationAccumulator({ classNames: ['a', 'b'], sliceBy: ['f'], maxSlicesPerFeature: 2 });
    expectInvalidInput(() => accumulator.add([0.5, 0.5, 0.5], [0, 1], { f: ['x', 'y'] }), /does not match its labels.*= 4 numbers.*received 3 numbers/);
    expectInvalidInput(() => accumulator.add([0.5, 0.5], [2], { f: ['x'] }), /label of example 0 is not a class index/);
    expectInvalidInput(() => accumulator.add([2.5, -1.5], [0], { f: ['x'] }), /class 1 for example 0 is not a probability/);
    expectInvalidInput(() => accumulator.add([0.9, 0.9], [0], { f: ['x'] }), /do not sum to 1/);
    expectInvalidInput(() => accumulator.add([0.5, 0.5], [0], {}), /columns do not match/);
    expectInvalidInput(() => accumulator.add([0.5, 0.5], [0], { f: ['x'], g: ['y'] }), /columns do not match/);
    expectInvalidInput(() => accumulator.add([0.5, 0.5], [0], { f: [] }), /column 'f' does not match the batch/);
    expectInvalidInput(() => accumulator.add([0.5, 0.5], [0], { f: [true as unknown as string] }), /not a string or number/);
    expectInvalidInput(() => accumulator.add([0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [0, 0, 0], { f: ['x', 'y', 'z'] }), /too many distinct values/);
    expect(accumulator.exampleCount).toBe(0);
    expectInvalidInput(() => accumulator.finish(), /nothing to evaluate/);
    accumulator.add([0.5, 0.5], [0], { f: ['x'] });
    expect(accumulator.finish().slicing.features).toEqual([{ feature: 'f', sliceCount: 1, missingCount: 0 }]);
  });

  it('refuses bad options', () => {
    expectInvalidInput(() => createEvaluationAccumulator({ classNames: ['only'] }), /at least two classes/);
    expectInvalidInput(() => createEvaluationAccumulator({ classNames: ['a', 'a'] }), /appears twice/);
    expectInvalidInput(() => createEvaluationAccumulator({ classNames: ['a', 'b'], sliceBy: ['label'] }), /'label' is given twice/);
    expectInvalidInput(() => createEvaluationAccumulator({ classNames: ['a', 'b'], calibrationBins: 0 }), /bin count/);
  });
});
