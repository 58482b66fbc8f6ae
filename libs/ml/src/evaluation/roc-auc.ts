/**
 * Exact ROC AUC by sorting, with ties counted like sklearn's `roc_auc_score`.
 *
 * sklearn integrates the ROC curve with the trapezoidal rule over *distinct* thresholds, so a
 * positive and a negative with the same score contribute half a pair (a diagonal step). That is
 * exactly the Mann–Whitney statistic: AUC = (#{pos > neg} + ½·#{pos = neg}) / (P·N). We compute it
 * with two native numeric sorts (one per class) and a merge walk: O(n log n), no comparator calls.
 *
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.roc_auc_score.html
 */
import { PipelineError } from '@tsfx/shared';

/**
 * ROC AUC of `scores` for the positives marked in `isPositive` (truthy = positive).
 * Returns null when AUC is undefined: no positives or no negatives (sklearn raises
 * "Only one class present in y_true. ROC AUC score is not defined in that case.").
 * Scores must not be NaN (callers validate their inputs).
 *
 * @example computeRocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]) // 0.75
 */
export function computeRocAuc(scores: ArrayLike<number>, isPositive: ArrayLike<number | boolean>): number | null {
  const n = scores.length;
  if (isPositive.length !== n) {
    throw new PipelineError('INVALID_INPUT', 'ROC AUC needs one label per score', {
      expected: `${n} labels`,
      received: `${isPositive.length}`,
    });
  }
  let positiveCount = 0;
  for (let i = 0; i < n; i++) if (isPositive[i]) positiveCount++;
  const negativeCount = n - positiveCount;
  if (positiveCount === 0 || negativeCount === 0) return null;

  const positives = new Float64Array(positiveCount);
  const negatives = new Float64Array(negativeCount);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i] as number;
    if (isPositive[i]) positives[p++] = s;
    else negatives[q++] = s;
  }
  return aucFromSortedGroups(positives.sort(), negatives.sort());
}

/** Both arrays sorted ascending. Counts, for each positive, negatives strictly below it plus half of those equal. */
function aucFromSortedGroups(positives: Float64Array, negatives: Float64Array): number {
  let below = 0; // negatives strictly below the current positive
  let belowOrEqual = 0; // negatives ≤ the current positive
  let pairs = 0; // doubled to keep the ½ exact in integers
  for (let i = 0; i < positives.length; i++) {
    const s = positives[i] as number;
    while (below < negatives.length && (negatives[below] as number) < s) below++;
    if (belowOrEqual < below) belowOrEqual = below;
    while (belowOrEqual < negatives.length && (negatives[belowOrEqual] as number) <= s) belowOrEqual++;
    pairs += 2 * below + (belowOrEqual - below);
  }
  return pairs / (2 * positives.length * negatives.length);
}
