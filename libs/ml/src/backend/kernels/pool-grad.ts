import {
  AvgPoolGrad,
  backend_util,
  MaxPoolGrad,
  type AvgPoolGradAttrs,
  type AvgPoolGradInputs,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type MaxPoolGradInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { heapF32, makeF32Output } from './wasm-heap';

/*
 * Pooling gradients as one pass over the wasm heap in JavaScript. Why not compose them from
 * wasm ops (an argmax mask): reproducing TF.js's "first maximum wins" on ties takes a slice,
 * compare, select and subtract per window position plus re-interleaving, about 13 passes over
 * the activation; this loop reads x and dy once and writes dx once. The stock wasm kernels
 * walk every window for every input pixel (≈ 10× slower), and the stock MaxPoolGrad starts
 * its maximum at FLT_MIN instead of −∞ and keeps the *last* maximum: windows of zeros or of
 * negatives send their gradient to the wrong place.
 */

type TPoolGeometry = {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  strideHeight: number;
  strideWidth: number;
  filterHeight: number;
  filterWidth: number;
  padTop: number;
  padLeft: number;
};

function poolGeometry(info: backend_util.Conv2DInfo): TPoolGeometry {
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    channels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    filterHeight: info.effectiveFilterHeight,
    filterWidth: info.effectiveFilterWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** True when windows do not overlap (stride ≥ filter): each input pixel is in at most one window. */
function windowsAreDisjoint(g: TPoolGeometry): boolean {
  return g.strideHeight >= g.filterHeight && g.strideWidth >= g.filterWidth;
}

/** True when the windows also cover every input pixel, so writing each window fills all of dx. */
function windowsTileInput(g: TPoolGeometry): boolean {
  return (
    g.strideHeight === g.filterHeight &&
    g.strideWidth === g.filterWidth &&
    g.padTop === 0 &&
    g.padLeft === 0 &&
    g.outHeight * g.filterHeight === g.inHeight &&
    g.outWidth * g.filterWidth === g.inWidth
  );
}

/**
 * Calls `visit` once per pooling window with the heap offsets (channel 0) of its in-bounds
 * pixels in row-major window order, and the offset of its dy row. `offsets` is reused.
 */
function forEachWindow(g: TPoolGeometry, visit: (offsets: Int32Array, count: number, dyAt: number) => void): void {
  const { inHeight: H, inWidth: W, channels: C } = g;
  const offsets = new Int32Array(g.filterHeight * g.filterWidth);
  let dyAt = 0;
  for (let b = 0; b < g.batch; b++) {
    const imageAt = b * H * W * C;
    for (let oy = 0; oy < g.outHeight; oy++) {
      const rowStart = oy * g.strideHeight - g.padTop;
      const rowFrom = Math.max(0, rowStart);
      const rowTo = Math.min(H, rowStart + g.filterHeight);
      for (let ox = 0; ox < g.outWidth; ox++, dyAt += C) {
        const colStart = ox * g.strideWidth - g.padLeft;
        const colFrom = Math.max(0, colStart);
        const colTo = Math.min(W, colStart + g.filterWidth);
        let count = 0;
        for (let r = rowFrom; r < rowTo; r++) {
          for (let col = colFrom; col < colTo; col++) offsets[count++] = imageAt + (r * W + col) * C;
        }
        visit(offsets, count, dyAt);
      }
    }
  }
}

/**
 * One whole 2×2 window (the templates' MaxPooling2D) of a disjoint max-pool gradient, unrolled:
 * the same first-maximum rule as the general loop, without its inner loops and index array —
 * 1.5× faster (a 32×148×148×64 activation: 420 → 270 ms).
 */
function maxPoolGradFull2x2(x: Float32Array, dy: Float32Array, dx: Float32Array, offsets: Int32Array, dyAt: number, C: number): void {
  const a0 = offsets[0]!;
  const a1 = offsets[1]!;
  const a2 = offsets[2]!;
  const a3 = offsets[3]!;
  for (let c = 0; c < C; c++) {
    const v0 = x[a0 + c]!;
    const v1 = x[a1 + c]!;
    const v2 = x[a2 + c]!;
    const v3 = x[a3 + c]!;
    let best = Number.NEGATIVE_INFINITY;
    let k = -1;
    if (v0 > best) {
      best = v0;
      k = 0;
    }
    if (v1 > best) {
      best = v1;
      k = 1;
    }
    if (v2 > best) {
      best = v2;
      k = 2;
    }
    if (v3 > best) k = 3;
    const grad = dy[dyAt + c]!;
    dx[a0 + c] = k === 0 ? grad : 0;
    dx[a1 + c] = k === 1 ? grad : 0;
    dx[a2 + c] = k === 2 ? grad : 0;
    dx[a3 + c] = k === 3 ? grad : 0;
  }
}

/** dx for max pooling: each window's gradient goes to its first maximum (row-major), as on the cpu backend. */
export function maxPoolGradInto(x: Float32Array, dy: Float32Array, dx: Float32Array, g: TPoolGeometry): void {
  const C = g.channels;
  if (!windowsTileInput(g)) dx.fill(0);
  if (windowsAreDisjoint(g)) {
    // Every covered pixel belongs to one window: write it once, no accumulation.
    const twoByTwo = g.filterHeight === 2 && g.filterWidth === 2;
    forEachWindow(g, (offsets, count, dyAt) => {
      if (twoByTwo && count === 4) {
        maxPoolGradFull2x2(x, dy, dx, offsets, dyAt, C);
        return;
      }
      for (let c = 0; c < C; c++) {
        let best = Number.NEGATIVE_INFINITY;
        let bestK = -1;
        for (let k = 0; k < count; k++) {
          const v = x[offsets[k]! + c]!;
          // `>` keeps the first maximum and never picks NaN, like the cpu backend.
          if (v > best) {
            best = v;
            bestK = k;
          }
        }
        const grad = dy[dyAt + c]!;
        for (let k = 0; k < count; k++) dx[offsets[k]! + c] = k === bestK ? grad : 0;
      }
    });
    return;
  }
  forEachWindow(g, (offsets, count, dyAt) => {
    for (let c = 0; c < C; c++) {
      let best = Number.NEGATIVE_INFINITY;
      let bestAt = -1;
      for (let k = 0; k < count; k++) {
        const at = offsets[k]! + c;
        const v = x[at]!;
        if (v > best) {
          best = v;
          bestAt = at;
        }
      }
      if (bestAt >= 0) dx[bestAt] = dx[bestAt]! + dy[dyAt + c]!;
    }
  });
}

/**
 * dx for average pooling: every in-bounds pixel of a window gets dy / (the window's in-bounds
 * pixel count) — the gradient of the forward AvgPool, which on wasm (XNNPACK), cpu and
 * TensorFlow divides by that count where `same` padding cuts a window short. TF.js's cpu
 * AvgPoolGrad divides by the whole filter area instead, so its gradient is too small at the
 * edges (measured: 4× at a corner of a 2×2 window); TensorFlow's matches this one.
 */
export function avgPoolGradInto(dy: Float32Array, dx: Float32Array, g: TPoolGeometry): void {
  const C = g.channels;
  if (!windowsTileInput(g)) dx.fill(0);
  const disjoint = windowsAreDisjoint(g);
  forEachWindow(g, (offsets, count, dyAt) => {
    const scale = 1 / count;
    for (let k = 0; k < count; k++) {
      const at = offsets[k]!;
      if (disjoint) {
        for (let c = 0; c < C; c++) dx[at + c] = dy[dyAt + c]! * scale;
      } else {
        for (let c = 0; c < C; c++) dx[at + c] = dx[at + c]! + dy[dyAt + c]! * scale;
      }
    }
  });
}

export const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as unknown as MaxPoolGradInputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const x = input as TensorInfo;
  const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const dx = makeF32Output(backend, x.shape);
  maxPoolGradInto(heapF32(backend, x), heapF32(backend, dy as TensorInfo), heapF32(backend, dx), poolGeometry(info));
  return dx;
};

export const avgPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as unknown as AvgPoolGradInputs;
  const { filterSize, strides, pad } = attrs as unknown as AvgPoolGradAttrs;
  const x = input as TensorInfo;
  const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad);
  const dx = makeF32Output(backend, x.shape);
  avgPoolGradInto(heapF32(backend, dy as TensorInfo), heapF32(backend, dx), poolGeometry(info));
  return dx;
};

export const maxPoolGradConfig: KernelConfig = { kernelName: MaxPoolGrad, backendName: 'wasm', kernelFunc: maxPoolGrad };
export const avgPoolGradConfig: KernelConfig = { kernelName: AvgPoolGrad, backendName: 'wasm', kernelFunc: avgPoolGrad };
