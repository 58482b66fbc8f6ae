import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import type { TTransformOutput } from '@tsfx/data';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './build';
import { compileModel } from './compile';
import './custom-layers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One transform output of each kind DenseFeatures encodes. */
const features: TTransformOutput[] = [
  { name: 'age_xf', dtype: 'float32', shape: [1] },
  { name: 'grid_xf', dtype: 'float32', shape: [2, 2] },
  { name: 'color_xf', dtype: 'int32', shape: [1], numBuckets: 3 },
  { name: 'city_xf', dtype: 'int32', shape: [1], numBuckets: 5, embedding: { inputDim: 5, outputDim: 2 } },
  { name: 'review_xf', dtype: 'int32', shape: [4], numBuckets: 6, padId: 0, embedding: { inputDim: 6, outputDim: 3 } },
  { name: 'tags_xf', dtype: 'int32', shape: [3], numBuckets: 4, padId: 0 },
];

/** Two rows of every feature, in `features` order. */
function twoRows(): tf.Tensor[] {
  return [
    tf.tensor2d([[0.5], [-2]], [2, 1]),
    tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]),
    tf.tensor2d([[2], [0]], [2, 1], 'int32'),
    tf.tensor2d([[4], [1]], [2, 1], 'int32'),
    tf.tensor2d([[1, 2, 0, 0], [0, 0, 0, 0]], [2, 4], 'int32'),
    tf.tensor2d([[3, 3, 1], [0, 2, 0]], [2, 3], 'int32'),
  ];
}

function setEmbeddings(model: LayersModel): void {
  // city: row i = [i, 10 i]; review: row i = [i, i², −i].
  model.getLayer('city_xf_embedding').setWeights([tf.tensor2d([0, 1, 2, 3, 4].flatMap((i) => [i, 10 * i]), [5, 2])]);
  model.getLayer('review_xf_embedding').setWeights([tf.tensor2d([0, 1, 2, 3, 4, 5].flatMap((i) => [i, i * i, -i]), [6, 3])]);
}

async function predictRows(model: LayersModel, inputs: tf.Tensor[]): Promise<number[][]> {
  return (await (model.predict(inputs) as tf.Tensor).array()) as number[][];
}

describe('buildModel with DenseFeatures', () => {
  it('makes one input per feature, named after it, and encodes each kind as documented', async () => {
    const { model, inputNames } = buildModel({ kind: 'sequential', layers: [{ type: 'DenseFeatures' }] }, { features, numClasses: 2 });
    expect(inputNames).toEqual(features.map((feature) => feature.name));
    expect(model.inputs.map((input) => input.dtype)).toEqual(['float32', 'float32', 'int32', 'int32', 'int32', 'int32']);
    expect(model.inputs.map((input) => input.shape)).toEqual([[null, 1], [null, 2, 2], [null, 1], [null, 1], [null, 4], [null, 3]]);
    // 1 + 4 (flattened) + 3 (one-hot) + 2 (embedding) + 3 (mean embedding) + 4 (counts)
    expect(model.outputs[0]?.shape).toEqual([null, 17]);

    setEmbeddings(model);
    const [first, second] = await predictRows(model, twoRows());
    expect(first).toEqual([
      0.5,
      ...[1, 2, 3, 4],
      ...[0, 0, 1],
      ...[4, 40],
      // mean of ids 1 and 2; the two padding positions are left out
      ...[1.5, 2.5, -1.5],
      // ids 3, 3, 1: counts per bucket
      ...[0, 1, 0, 2],
    ]);
    expect(second).toEqual([
      -2,
      ...[5, 6, 7, 8],
      ...[1, 0, 0],
      ...[1, 10],
      // all padding: zeros, not NaN
      ...[0, 0, 0],
      // padding (0) is not counted
      ...[0, 0, 1, 0],
    ]);
  });

  it('encodes only the listed features, in the listed order', () => {
    const { model, inputNames } = buildModel(
      { kind: 'sequential', layers: [{ type: 'DenseFeatures', config: { features: ['tags_xf', 'age_xf'] } }, { type: 'Dense', config: { units: 'numClasses' } }] },
      { features, numClasses: 3 },
    );
    expect(inputNames).toEqual(['tags_xf', 'age_xf']);
    expect(model.getLayer('dense_features').outputShape).toEqual([null, 5]);
    expect(model.outputs[0]?.shape).toEqual([null, 3]);
  });

  it('trains through embeddings, masked means and indicators', async () => {
    const { model, inputNames } = buildModel(
      { kind: 'sequential', layers: [{ type: 'DenseFeatures' }, { type: 'Dense', config: { units: 2, activation: 'softmax' } }] },
      { features, numClasses: 2 },
    );
    compileModel(model, { optimizer: { type: 'adam', learningRate: 0.02 } });
    const before = model.getLayer('review_xf_embedding').getWeights()[0]?.dataSync().slice();
    const labels = tf.tensor2d([[1], [0]], [2, 1]);
    // Two separable rows: whatever the random start (the unscaled grid feature can saturate the
    // softmax at first), full-batch Adam drives the loss to about zero.
    const history = await model.fit(twoRows(), labels, { epochs: 150, batchSize: 2, verbose: 0 });
    const losses = history.history['loss'] as number[];
    expect(losses[losses.length - 1]).toBeLessThan(0.05);
    const after = model.getLayer('review_xf_embedding').getWeights()[0]?.dataSync();
    // Rows of ids 1 and 2 (used) moved; row 0 (padding only) and rows 3–5 (unused) did not.
    const row = (values: ArrayLike<number> | undefined, id: number) => Array.from(values ?? []).slice(id * 3, id * 3 + 3);
    expect(row(after, 1)).not.toEqual(row(before, 1));
    expect(row(after, 0)).toEqual(row(before, 0));
    expect(row(after, 4)).toEqual(row(before, 4));
    expect(inputNames).toHaveLength(6);
  });

  it('saves and loads back with its custom layers, predicting the same', async () => {
    const { model } = buildModel({ kind: 'sequential', layers: [{ type: 'DenseFeatures' }] }, { features, numClasses: 2 });
    setEmbeddings(model);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const topology = JSON.stringify(saved?.modelTopology);
    expect(topology).toContain('"class_name":"MaskedSequenceMean"');
    expect(topology).toContain('"class_name":"IndicatorEncoding"');
    const loaded = await loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(loaded.inputNames).toEqual(features.map((feature) => feature.name));
    expect(await predictRows(loaded, twoRows())).toEqual(await predictRows(model, twoRows()));
  });

  it('rejects an int32 feature with neither embedding nor buckets, and an unknown feature', () => {
    expect(() =>
      buildModel({ kind: 'sequential', layers: [{ type: 'DenseFeatures' }] }, { features: [{ name: 'ids_xf', dtype: 'int32', shape: [2] }], numClasses: 2 }),
    ).toThrow("DenseFeatures cannot encode int32 feature 'ids_xf'");
    expect(() =>
      buildModel({ kind: 'sequential', layers: [{ type: 'DenseFeatures', config: { features: ['size_xf'] } }] }, { features, numClasses: 2 }),
    ).toThrow("layer #0 (DenseFeatures) takes feature 'size_xf', which the transform does not produce; expected one of age_xf, grid_xf");
  });
});

describe('buildModel', () => {
  const image: TTransformOutput = { name: 'image_xf', dtype: 'float32', shape: [8, 8, 1] };

  it('takes the only feature as the input of a sequential spec without Input', () => {
    const { model, inputNames } = buildModel(
      { kind: 'sequential', layers: [{ type: 'Rescaling', config: { scale: 2 } }, { type: 'Flatten' }, { type: 'Dense', config: { units: 'numClasses' } }] },
      { features: [image], numClasses: 4 },
    );
    expect(inputNames).toEqual(['image_xf']);
    expect(model.layers.map((layer) => layer.name)).toEqual(['image_xf', 'rescaling', 'flatten', 'dense']);
    expect(model.outputs[0]?.shape).toEqual([null, 4]);
  });

  it('asks for an Input when there are several features', () => {
    expect(() => buildModel({ kind: 'sequential', layers: [{ type: 'Flatten' }] }, { features, numClasses: 2 })).toThrow(
      'a sequential spec that starts with neither Input nor DenseFeatures needs exactly one transformed feature',
    );
  });

  it('builds a functional graph with Keras-style names and inputs in the spec order', () => {
    const { model, inputNames } = buildModel(
      {
        kind: 'functional',
        inputs: ['pixels', 'extra'],
        layers: [
          { name: 'pixels', type: 'Input', config: { feature: 'image_xf' } },
          { name: 'extra', type: 'Input', config: { shape: [3] } },
          { name: 'conv', type: 'Conv2D', config: { filters: 2, kernelSize: 3 }, inbound: ['pixels'] },
          { name: 'pool', type: 'GlobalAveragePooling2D', inbound: ['conv'] },
          { name: 'joined', type: 'Concatenate', inbound: ['pool', 'extra'] },
          { name: 'norm', type: 'BatchNormalization', inbound: ['joined'] },
          { name: 'out', type: 'Dense', config: { units: 'numClasses', activation: 'softmax' }, inbound: ['norm'] },
        ],
        outputs: ['out'],
      },
      { features: [image], numClasses: 3 },
    );
    expect(inputNames).toEqual(['image_xf', 'extra']);
    expect(model.getLayer('joined').outputShape).toEqual([null, 5]);
    expect(model.outputs[0]?.shape).toEqual([null, 3]);
  });

  it('names the clash when a layer takes a feature input name', () => {
    expect(() =>
      buildModel(
        { kind: 'sequential', layers: [{ type: 'Input', config: { feature: 'image_xf' } }, { type: 'Flatten', name: 'image_xf' }] },
        { features: [image], numClasses: 2 },
      ),
    ).toThrow("layer 'image_xf' is named 'image_xf', a name another layer or model input already has");
  });

  it('rejects an Input whose declared shape differs from its feature', () => {
    expect(() =>
      buildModel({ kind: 'sequential', layers: [{ type: 'Input', config: { feature: 'image_xf', shape: [28, 28, 1] } }] }, { features: [image], numClasses: 2 }),
    ).toThrow('expected float32 [8, 8, 1] (or leave shape and dtype out); received float32 [28, 28, 1]');
  });

  it('rejects a spec that does not parse, with the path of the problem', () => {
    expect(() => buildModel({ kind: 'sequential', layers: [{ type: 'Dense', config: { units: -1 } }] }, { features: [image], numClasses: 2 })).toThrow(
      /^invalid model spec: layers\.0\.config\.units: /,
    );
  });
});
