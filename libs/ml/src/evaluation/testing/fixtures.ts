import { createRandom } from '@tsfx/data';
import { evaluateClassification } from '../accumulator';
import { type TEvaluation } from '../schemas';

/**
 * Random softmax-like predictions with many exact ties: each class gets an integer weight in
 * 1..levels and a row is its weights over their sum, so equal weight patterns give identical rows.
 * Labels are drawn from the row's probabilities, so the scores carry signal (AUC well above 0.5).
 */
export function randomPredictions(options: { seed: number; n: number; k: number; levels?: number }): { probabilities: Float32Array; labels: Int32Array } {
  const { seed, n, k, levels = 4 } = options;
  const random = createRandom(seed);
  const probabilities = new Float32Array(n * k);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const weights = Array.from({ length: k }, () => 1 + Math.floor(random() * levels));
    const sum = weights.reduce((a, b) => a + b, 0);
    weights.forEach((w, c) => (probabilities[i * k + c] = w / sum));
    let u = random() * sum;
    let label = 0;
    while (label < k - 1 && u >= (weights[label] as number)) u -= weights[label++] as number;
    labels[i] = label;
  }
  return { probabilities, labels };
}

/** ROC AUC by its definition: P(score of a positive > score of a negative), ties counting ½. O(P·N). */
export function pairwiseAuc(scores: ArrayLike<number>, isPositive: ArrayLike<number | boolean>): number | null {
  let pairs = 0;
  let wins = 0;
  for (let i = 0; i < scores.length; i++) {
    if (!isPositive[i]) continue;
    for (let j = 0; j < scores.length; j++) {
      if (isPositive[j]) continue;
      pairs++;
      const a = scores[i] as number;
      const b = scores[j] as number;
      wins += a > b ? 1 : a === b ? 0.5 : 0;
    }
  }
  return pairs === 0 ? null : wins / pairs;
}

/**
 * An evaluation whose flat metrics are replaced by the given ones per slice key (`*`: every slice
 * not named), for blessing tests that need exact metric values. Slices: Overall, `island:Biscoe`, `island:Dream`, `year:2008`, and
 * the label slices `species:Adelie`, `species:Gentoo`.
 */
export function evaluationWithMetrics(
  metricsBySlice: Readonly<Record<string, Readonly<Record<string, number>>>>,
  options: { modelId?: string; servingVersion?: number; repeat?: number } = {},
): TEvaluation {
  const repeat = options.repeat ?? 1;
  const rows = [
    { p: [0.9, 0.1], label: 0, island: 'Biscoe', year: 2008 },
    { p: [0.2, 0.8], label: 1, island: 'Biscoe', year: 2008 },
    { p: [0.6, 0.4], label: 1, island: 'Dream', year: 2008 },
    { p: [0.3, 0.7], label: 0, island: 'Dream', year: 2008 },
  ].flatMap((row) => Array.from({ length: repeat }, () => row));
  const evaluation = evaluateClassification({
    classNames: ['Adelie', 'Gentoo'],
    sliceBy: ['island', 'year'],
    labelFeature: 'species',
    probabilities: rows.flatMap((r) => r.p),
    labels: rows.map((r) => r.label),
    sliceValues: { island: rows.map((r) => r.island), year: rows.map((r) => r.year) },
    ...(options.modelId === undefined ? {} : { model: { id: options.modelId, ...(options.servingVersion === undefined ? {} : { servingVersion: options.servingVersion }) } }),
  });
  for (const slice of [evaluation.overall, ...evaluation.slices]) {
    const replacement = metricsBySlice[slice.key] ?? metricsBySlice['*'];
    if (replacement !== undefined) slice.metrics.metrics = { ...replacement };
  }
  return evaluation;
}
