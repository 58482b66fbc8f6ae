import * as tf from '@tensorflow/tfjs-core';
import type { TKernelCase } from './run-kernel';
import { SeededTensors } from './seeded-tensors';

type TPad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type TStrides = number | [number, number];

/** One 2-D convolution geometry: NHWC input, HWIO filter. */
type TConvGeometry = {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  filter: [number, number];
  strides: TStrides;
  pad: TPad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
};

/**
 * Convolution geometries for both backprop kernels. The wasm filter gradient takes im2col for
 * patch depths fh·fw·ci ≤ 32 and the transposed convolution above, so each path gets strides
 * 1/2/3/[2,3], same/valid/explicit padding, odd sizes and batch 1 and > 1.
 */
const CONV_GEOMETRIES: TConvGeometry[] = [
  // im2col path (depth ≤ 32): grey and RGB first layers.
  { batch: 1, height: 9, width: 7, inChannels: 1, outChannels: 4, filter: [3, 3], strides: 1, pad: 'same' },
  { batch: 3, height: 10, width: 11, inChannels: 3, outChannels: 5, filter: [3, 3], strides: 2, pad: 'valid' },
  { batch: 2, height: 11, width: 9, inChannels: 3, outChannels: 2, filter: [3, 3], strides: [2, 3], pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { batch: 2, height: 9, width: 9, inChannels: 3, outChannels: 4, filter: [3, 3], strides: [2, 3], pad: 'same' },
  { batch: 1, height: 15, width: 13, inChannels: 1, outChannels: 8, filter: [5, 5], strides: 1, pad: 'same' },
  { batch: 2, height: 14, width: 13, inChannels: 1, outChannels: 3, filter: [5, 5], strides: 3, pad: 'valid' },
  { batch: 2, height: 10, width: 10, inChannels: 2, outChannels: 3, filter: [2, 2], strides: 3, pad: 'valid' },
  { batch: 1, height: 7, width: 9, inChannels: 2, outChannels: 2, filter: [3, 3], strides: 2, pad: 'same' },
  { batch: 2, height: 6, width: 5, inChannels: 16, outChannels: 8, filter: [1, 1], strides: 1, pad: 'valid' },
  { batch: 2, height: 9, width: 8, inChannels: 3, outChannels: 6, filter: [3, 3], strides: 2, pad: 1, dimRoundingMode: 'floor' },
  // A first layer at training size: each filter-gradient element sums 4·20·20 = 1,600 products.
  { batch: 4, height: 20, width: 20, inChannels: 3, outChannels: 16, filter: [3, 3], strides: 1, pad: 'same' },
  // Transposed-convolution path (depth > 32).
  { batch: 2, height: 8, width: 8, inChannels: 3, outChannels: 3, filter: [5, 5], strides: 2, pad: 'same' },
  { batch: 2, height: 13, width: 13, inChannels: 8, outChannels: 6, filter: [3, 3], strides: 1, pad: 'valid' },
  { batch: 1, height: 12, width: 11, inChannels: 16, outChannels: 8, filter: [3, 3], strides: 3, pad: 'same' },
  { batch: 3, height: 11, width: 10, inChannels: 6, outChannels: 4, filter: [3, 3], strides: [2, 3], pad: 'valid' },
  { batch: 2, height: 10, width: 9, inChannels: 6, outChannels: 4, filter: [3, 3], strides: 2, pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
  { batch: 2, height: 7, width: 7, inChannels: 40, outChannels: 4, filter: [1, 1], strides: 2, pad: 'same' },
  { batch: 1, height: 9, width: 9, inChannels: 8, outChannels: 5, filter: [5, 5], strides: 1, pad: 'same' },
  { batch: 4, height: 16, width: 16, inChannels: 16, outChannels: 16, filter: [3, 3], strides: 1, pad: 'same' },
  // Channels-first tensors go through transposes on wasm: one per path.
  { batch: 2, height: 9, width: 8, inChannels: 3, outChannels: 4, filter: [3, 3], strides: 2, pad: 'same', dataFormat: 'NCHW' },
  { batch: 2, height: 9, width: 8, inChannels: 8, outChannels: 4, filter: [3, 3], strides: 1, pad: 'valid', dataFormat: 'NCHW' },
];

function describeConv(g: TConvGeometry): string {
  const pad = Array.isArray(g.pad) ? `explicit ${JSON.stringify(g.pad.slice(1, 3))}` : String(g.pad);
  const path = g.filter[0] * g.filter[1] * g.inChannels <= 32 ? 'im2col' : 'transposed';
  return (
    `${g.dataFormat ?? 'NHWC'} x[${g.batch},${g.height},${g.width},${g.inChannels}] ${g.filter.join('×')}→${g.outChannels} ` +
    `stride ${JSON.stringify(g.strides)} pad ${pad}${g.dimRoundingMode ? ` ${g.dimRoundingMode}` : ''} (${path})`
  );
}

function convInfo(g: TConvGeometry): tf.backend_util.Conv2DInfo {
  const channelsFirst = g.dataFormat === 'NCHW';
  const inShape: [number, number, number, number] = channelsFirst ? [g.batch, g.inChannels, g.height, g.width] : [g.batch, g.height, g.width, g.inChannels];
  return tf.backend_util.computeConv2DInfo(
    inShape,
    [g.filter[0], g.filter[1], g.inChannels, g.outChannels],
    g.strides,
    1,
    g.pad,
    g.dimRoundingMode,
    false,
    channelsFirst ? 'channelsFirst' : 'channelsLast',
  );
}

export function conv2DBackpropFilterCases(): TKernelCase[] {
  const random = new SeededTensors(101);
  return CONV_GEOMETRIES.map((g) => {
    const info = convInfo(g);
    return {
      kernel: 'Conv2DBackpropFilter',
      label: describeConv(g),
      inputs: { x: random.uniform(info.inShape), dy: random.uniform(info.outShape) },
      attrs: {
        strides: g.strides,
        pad: g.pad,
        dataFormat: g.dataFormat ?? 'NHWC',
        filterShape: [g.filter[0], g.filter[1], g.inChannels, g.outChannels],
        ...(g.dimRoundingMode ? { dimRoundingMode: g.dimRoundingMode } : {}),
      },
    };
  });
}

export function conv2DBackpropInputCases(): TKernelCase[] {
  const random = new SeededTensors(102);
  return CONV_GEOMETRIES.map((g) => {
    const info = convInfo(g);
    return {
      kernel: 'Conv2DBackpropInput',
      label: describeConv(g),
      inputs: { dy: random.uniform(info.outShape), filter: random.uniform([g.filter[0], g.filter[1], g.inChannels, g.outChannels]) },
      attrs: {
        strides: g.strides,
        pad: g.pad,
        dataFormat: g.dataFormat ?? 'NHWC',
        inputShape: info.inShape,
        ...(g.dimRoundingMode ? { dimRoundingMode: g.dimRoundingMode } : {}),
      },
    };
  });
}

type TPoolGeometry = { shape: [number, number, number, number]; filter: number | [number, number]; strides: TStrides; pad: 'same' | 'valid' };

/** Overlapping and disjoint windows, partial windows at the edges (odd sizes, `same`), batch 1 and > 1. */
const POOL_GEOMETRIES: TPoolGeometry[] = [
  { shape: [2, 8, 8, 3], filter: 2, strides: 2, pad: 'valid' },
  { shape: [2, 9, 7, 3], filter: 3, strides: 2, pad: 'same' },
  { shape: [2, 9, 9, 2], filter: 3, strides: 1, pad: 'same' },
  { shape: [1, 13, 13, 4], filter: 2, strides: 2, pad: 'valid' },
  { shape: [2, 7, 7, 2], filter: 2, strides: 3, pad: 'valid' },
  { shape: [3, 11, 10, 5], filter: [3, 2], strides: [2, 1], pad: 'same' },
  { shape: [1, 9, 9, 1], filter: 2, strides: 2, pad: 'same' },
];

function describePool(g: TPoolGeometry, values: string): string {
  return `x[${g.shape.join(',')}] window ${JSON.stringify(g.filter)} stride ${JSON.stringify(g.strides)} ${g.pad}, ${values}`;
}

/**
 * MaxPoolGrad with ties (whole numbers in [−2, 2]: most windows hold several maxima, and windows
 * of equal negatives test that the maximum starts at −∞) and without (uniform floats).
 */
export function maxPoolGradCases(): TKernelCase[] {
  const random = new SeededTensors(103);
  return POOL_GEOMETRIES.flatMap((g) =>
    (['ties', 'no ties'] as const).map((values) => {
      const info = tf.backend_util.computePool2DInfo(g.shape, g.filter, g.strides, 1, g.pad);
      const attrs = { filterSize: g.filter, strides: g.strides, pad: g.pad };
      return {
        kernel: 'MaxPoolGrad',
        label: describePool(g, values),
        inputs: { dy: random.uniform(info.outShape), input: values === 'ties' ? random.integers(g.shape, -2, 2) : random.uniform(g.shape) },
        attrs,
        // MaxPool only selects values, so its output is identical on every backend.
        derive: ({ input }) => ({ output: tf.maxPool(input as tf.Tensor4D, g.filter, g.strides, g.pad) }),
      };
    }),
  );
}

/**
 * AvgPoolGrad. The reference is the gradient of the forward AvgPool, which divides each window by
 * its in-bounds pixel count; TF.js's cpu AvgPoolGrad divides by the filter area even where `same`
 * padding cuts a window short (a finite difference on cpu's own forward pass gives 4× its value at
 * the corner of a 2×2 window), so the reference runs cpu's kernel on dy · area / count, which is
 * exact for full windows (factor 1) and the true gradient for cut ones. TensorFlow agrees with it.
 */
export function avgPoolGradCases(): TKernelCase[] {
  const random = new SeededTensors(104);
  return POOL_GEOMETRIES.map((g) => {
    const info = tf.backend_util.computePool2DInfo(g.shape, g.filter, g.strides, 1, g.pad);
    const attrs = { filterSize: g.filter, strides: g.strides, pad: g.pad };
    return {
      kernel: 'AvgPoolGrad',
      label: describePool(g, 'floats'),
      inputs: { dy: random.uniform(info.outShape), input: random.uniform(g.shape) },
      attrs,
      reference: ({ dy, input }) =>
        tf.tidy(() => {
          const [, height, width] = g.shape;
          const { filterHeight, filterWidth } = info;
          // In-bounds pixels per window: a ones filter over a ones image, padded like the pooling.
          const counts = tf.conv2d(tf.ones([1, height, width, 1]) as tf.Tensor4D, tf.ones([filterHeight, filterWidth, 1, 1]) as tf.Tensor4D, g.strides, g.pad);
          const trueDy = tf.mul(dy as tf.Tensor, tf.div(filterHeight * filterWidth, counts));
          return tf.engine().runKernel('AvgPoolGrad', { dy: trueDy, input: input as tf.Tensor }, attrs) as tf.Tensor;
        }),
    };
  });
}

type TMatMulGeometry = { batchA: number[]; batchB: number[]; m: number; k: number; n: number };

/**
 * Single products (the wasm fast path), batched ones, batch broadcast both ways, odd sizes and a
 * long inner dimension. Not broadcast across several batch axes at once ([2, 1] with [1, 3]):
 * TF.js's cpu kernel (and the stock wasm one) then computes only max(2, 3) of the 6 products.
 */
const MATMUL_GEOMETRIES: TMatMulGeometry[] = [
  { batchA: [1], batchB: [1], m: 7, k: 5, n: 9 },
  { batchA: [1], batchB: [1], m: 33, k: 65, n: 17 },
  { batchA: [1], batchB: [1], m: 16, k: 1500, n: 10 },
  { batchA: [3], batchB: [3], m: 6, k: 11, n: 4 },
  { batchA: [1], batchB: [3], m: 5, k: 7, n: 3 },
  { batchA: [2, 3], batchB: [1, 1], m: 4, k: 9, n: 5 },
];

export function batchMatMulCases(): TKernelCase[] {
  const random = new SeededTensors(105);
  return MATMUL_GEOMETRIES.flatMap((g) =>
    [false, true].flatMap((transposeA) =>
      [false, true].map((transposeB) => {
        const aShape = [...g.batchA, ...(transposeA ? [g.k, g.m] : [g.m, g.k])];
        const bShape = [...g.batchB, ...(transposeB ? [g.n, g.k] : [g.k, g.n])];
        return {
          kernel: 'BatchMatMul',
          label: `a[${aShape.join(',')}]${transposeA ? 'ᵀ' : ''} · b[${bShape.join(',')}]${transposeB ? 'ᵀ' : ''}`,
          inputs: { a: random.uniform(aShape), b: random.uniform(bShape) },
          attrs: { transposeA, transposeB },
        };
      }),
    ),
  );
}

export function sliceCases(): TKernelCase[] {
  const random = new SeededTensors(106);
  const slices: { shape: number[]; begin: number[]; size: number[]; kind: string }[] = [
    { shape: [5, 7, 9], begin: [2, 0, 0], size: [2, 7, 9], kind: 'contiguous rows' },
    { shape: [5, 7, 9], begin: [1, 3, 0], size: [1, 2, 9], kind: 'contiguous inner run' },
    { shape: [5, 7, 9], begin: [1, 2, 3], size: [3, 4, 5], kind: 'strided' },
    { shape: [5, 7, 9], begin: [0, 1, 2], size: [-1, -1, 1], kind: 'strided, size −1' },
    { shape: [2, 9, 7, 3], begin: [0, 1, 2, 0], size: [2, 7, 4, 3], kind: 'strided NHWC crop' },
    { shape: [23], begin: [5], size: [11], kind: '1-D' },
    { shape: [4, 6], begin: [1, 2], size: [0, 3], kind: 'empty' },
  ];
  return slices.flatMap((s) =>
    (['float32', 'int32', 'bool'] as const).map((dtype) => ({
      kernel: 'Slice',
      label: `${dtype} [${s.shape.join(',')}] begin [${s.begin.join(',')}] size [${s.size.join(',')}] (${s.kind})`,
      inputs: { x: dtype === 'bool' ? random.bools(s.shape) : dtype === 'int32' ? random.integers(s.shape, -1000, 1000, 'int32') : random.uniform(s.shape) },
      attrs: { begin: s.begin, size: s.size },
    })),
  );
}

export function sumCases(): TKernelCase[] {
  const random = new SeededTensors(107);
  const sums: { shape: number[]; axis: number[]; keepDims: boolean; note: string; dtype?: 'int32' }[] = [
    // Leading float32 axes (all axes included): the wasm kernel's own one-pass column sum.
    { shape: [8, 24, 24, 5], axis: [0, 1, 2], keepDims: false, note: 'leading, 4,608 rows' },
    { shape: [8, 24, 24, 5], axis: [0, 1, 2], keepDims: true, note: 'leading, 4,608 rows' },
    { shape: [4099, 3], axis: [0], keepDims: false, note: 'leading, 4,099 rows: one past a block of 8' },
    { shape: [32, 37, 37, 8], axis: [2, 0, 1], keepDims: false, note: 'leading (unsorted), 43,808 rows: a bias gradient' },
    { shape: [10, 10, 3], axis: [0, 1], keepDims: false, note: 'leading, 100 rows' },
    { shape: [64, 100], axis: [0, 1], keepDims: false, note: 'all, 6,400 values' },
    { shape: [7, 3], axis: [0, 1], keepDims: true, note: 'all, 21 values' },
    // Everything else goes to the stock kernel.
    { shape: [70, 70, 3], axis: [0, 1], keepDims: false, note: 'leading, int32', dtype: 'int32' },
    { shape: [5, 6, 7], axis: [1], keepDims: false, note: 'middle' },
    { shape: [5, 6, 7], axis: [-1], keepDims: true, note: 'innermost' },
    { shape: [5, 6, 7], axis: [0, 2], keepDims: true, note: 'outer and inner' },
  ];
  return sums.map((s) => ({
    kernel: 'Sum',
    label: `${s.dtype ?? 'float32'} [${s.shape.join(',')}] axis [${s.axis.join(',')}]${s.keepDims ? ' keepDims' : ''} (${s.note})`,
    inputs: { x: s.dtype === 'int32' ? random.integers(s.shape, -100, 100, 'int32') : random.uniform(s.shape) },
    attrs: { axis: s.axis, keepDims: s.keepDims },
  }));
}

export function unsortedSegmentSumCases(): TKernelCase[] {
  const random = new SeededTensors(108);
  // Ids of rank 1 only: Gather's gradient flattens its indices first, and cpu's kernel cannot
  // broadcast ids of higher rank against x.
  const cases: { x: number[]; ids: number[]; numSegments: number }[] = [
    { x: [12, 5], ids: [12], numSegments: 6 },
    { x: [10, 3, 4], ids: [10], numSegments: 4 },
    { x: [200, 16], ids: [200], numSegments: 50 },
  ];
  return cases.map((c) => ({
    kernel: 'UnsortedSegmentSum',
    // Ids from −1: every backend drops negative ids. (Ids ≥ numSegments are not compared: cpu and
    // wasm drop them, TensorFlow rejects them.)
    label: `x[${c.x.join(',')}] ids[${c.ids.join(',')}] into ${c.numSegments} segments, some ids negative`,
    inputs: { x: random.uniform(c.x), segmentIds: random.integers(c.ids, -1, c.numSegments - 1, 'int32') },
    attrs: { numSegments: c.numSegments },
  }));
}

/**
 * Step (the ReLU gradient's mask), which tsfx replaces on the tensorflow backend: exact zeros
 * (the boundary: not > 0), NaNs (kept as NaN), and a leaky alpha.
 */
export function stepCases(): TKernelCase[] {
  const random = new SeededTensors(109);
  return [0, 0.2].flatMap((alpha) =>
    [[7, 5], [2, 9, 9, 4]].map((shape) => {
      const x = random.uniform(shape);
      const values = x.values as Float32Array;
      for (let i = 0; i < values.length; i += 7) values[i] = 0;
      for (let i = 3; i < values.length; i += 11) values[i] = Number.NaN;
      return { kernel: 'Step', label: `[${shape.join(',')}] alpha ${alpha}, with zeros and NaNs`, inputs: { x }, attrs: { alpha } };
    }),
  );
}

/** Every case, by the kernel it tests, in the order the suite reports them. */
export function allKernelCases(): Record<string, TKernelCase[]> {
  return {
    Conv2DBackpropFilter: conv2DBackpropFilterCases(),
    Conv2DBackpropInput: conv2DBackpropInputCases(),
    MaxPoolGrad: maxPoolGradCases(),
    AvgPoolGrad: avgPoolGradCases(),
    BatchMatMul: batchMatMulCases(),
    Slice: sliceCases(),
    Sum: sumCases(),
    UnsortedSegmentSum: unsortedSegmentSumCases(),
    Step: stepCases(),
  };
}
