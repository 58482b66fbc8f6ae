import { PipelineError } from '@tsfx/shared';
import { type TCalibration, type TCalibrationBin } from './schemas';

/** Number of equal-width confidence bins of the reliability diagram (Guo et al. 2017 use 15; 10 is the common plot). */
export const DEFAULT_CALIBRATION_BINS = 10;

/**
 * Reliability diagram and expected calibration error of top-class predictions.
 *
 * Bins follow Guo et al., "On Calibration of Modern Neural Networks" (ICML 2017): bin m holds
 * confidences in ((m−1)/M, m/M], so 1.0 lands in the last bin without a special case (a confidence
 * of exactly 0, impossible for an argmax probability, goes to the first). Then
 * ECE = Σ_m (|B_m| / n) · |acc(B_m) − conf(B_m)|.
 *
 * @param confidences top-class probability per example, in [0, 1]
 * @param isCorrect   1 when the top class is the true class
 * @param numBins     default {@link DEFAULT_CALIBRATION_BINS}
 */
export function computeCalibration(
  confidences: ArrayLike<number>,
  isCorrect: ArrayLike<number | boolean>,
  numBins: number = DEFAULT_CALIBRATION_BINS,
): TCalibration {
  const n = confidences.length;
  if (isCorrect.length !== n) {
    throw new PipelineError('INVALID_INPUT', 'calibration needs one outcome per confidence', { expected: `${n} outcomes`, received: `${isCorrect.length}` });
  }
  if (!Number.isInteger(numBins) || numBins < 1) {
    throw new PipelineError('INVALID_INPUT', 'calibration bin count is invalid', { expected: 'a positive integer', received: String(numBins) });
  }
  const counts = new Float64Array(numBins);
  const confidenceSums = new Float64Array(numBins);
  const correctCounts = new Float64Array(numBins);
  for (let i = 0; i < n; i++) {
    const c = confidences[i] as number;
    const bin = calibrationBinOf(c, numBins);
    counts[bin]! += 1;
    confidenceSums[bin]! += c;
    if (isCorrect[i]) correctCounts[bin]! += 1;
  }
  const bins: TCalibrationBin[] = [];
  let ece = 0;
  for (let b = 0; b < numBins; b++) {
    const count = counts[b] as number;
    const meanConfidence = count > 0 ? (confidenceSums[b] as number) / count : null;
    const accuracy = count > 0 ? (correctCounts[b] as number) / count : null;
    if (meanConfidence !== null && accuracy !== null) ece += (count / n) * Math.abs(accuracy - meanConfidence);
    bins.push({ lower: b / numBins, upper: (b + 1) / numBins, count, meanConfidence, accuracy });
  }
  return { bins, ece: n > 0 ? ece : 0 };
}

/**
 * Bin m (0-based) holds (m/M, (m+1)/M]. `ceil(c·M) − 1` alone misplaces values on an edge
 * ((7/25)·25 = 7.000000000000001 in floating point), so the result is corrected against the same
 * edges `b / M` the bins report.
 */
export function calibrationBinOf(confidence: number, numBins: number): number {
  let bin = Math.min(numBins - 1, Math.max(0, Math.ceil(confidence * numBins) - 1));
  if (bin > 0 && confidence <= bin / numBins) bin--;
  else if (bin < numBins - 1 && confidence > (bin + 1) / numBins) bin++;
  return bin;
}
