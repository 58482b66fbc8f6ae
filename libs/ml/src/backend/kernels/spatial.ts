import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope';

/** Padding before and after one spatial axis; a negative side means rows to drop. */
export type TSidePads = [before: number, after: number];

/** An NHWC convolution's explicit padding, every side non-negative. */
export type TExplicitPads = [[0, 0], [number, number], [number, number], [0, 0]];

/**
 * XNNPACK convolutions take only non-negative padding, but the backward convolutions need
 * negative padding where the forward pass ignored trailing rows (a stride that does not divide
 * the input) or padded more than the filter reaches. This crops the negative sides off an NHWC
 * tensor with one Slice and returns the remaining, non-negative padding for the convolution.
 */
export function cropNegativePads(
  scope: KernelScope,
  x: TensorInfo,
  rows: TSidePads,
  cols: TSidePads,
): { x: TensorInfo; pads: TExplicitPads } {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const top = Math.max(0, -rows[0]);
  const bottom = Math.max(0, -rows[1]);
  const left = Math.max(0, -cols[0]);
  const right = Math.max(0, -cols[1]);
  const pads: TExplicitPads = [
    [0, 0],
    [Math.max(0, rows[0]), Math.max(0, rows[1])],
    [Math.max(0, cols[0]), Math.max(0, cols[1])],
    [0, 0],
  ];
  if (top + bottom + left + right === 0) return { x, pads };
  const cropped = scope.run('Slice', { x }, { begin: [0, top, left, 0], size: [n, h - top - bottom, w - left - right, c] });
  return { x: cropped, pads };
}

/**
 * Spreads the rows and columns of an NHWC tensor apart by `strideH`/`strideW`, filling the gaps
 * with zeros: [n, h, w, c] becomes [n, h*strideH, w*strideW, c] with the values at multiples of
 * the stride (the trailing stride-1 zero rows/columns are left for the caller to crop through
 * padding). Done as reshape to [n, h, 1, w, 1, c], one PadV2, reshape back: one copy.
 */
export function spreadByStride(scope: KernelScope, x: TensorInfo, strideH: number, strideW: number): TensorInfo {
  if (strideH === 1 && strideW === 1) return x;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const expanded = scope.run('Reshape', { x }, { shape: [n, h, 1, w, 1, c] });
  const padded = scope.run(
    'PadV2',
    { x: expanded },
    {
      paddings: [
        [0, 0],
        [0, 0],
        [0, strideH - 1],
        [0, 0],
        [0, strideW - 1],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  return scope.run('Reshape', { x: padded }, { shape: [n, h * strideH, w * strideW, c] });
}
