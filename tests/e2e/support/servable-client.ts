/**
 * What a web client of an exported servable runs, bundled into a page by the export e2e test:
 * fetch the version's `signature.json` and `transform_graph.json`, load `model/model.json` with
 * `tf.loadLayersModel`, transform raw JSON rows and predict. `predictRows` is also what the test
 * runs in Node, so the two sides differ only in runtime and in how the model was loaded.
 * Browser-safe: it imports the browser-safe sources directly, not the Node-facing package indexes.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { applyTransform, parseTransformGraph, type TRawRow, type TTransformGraph } from '../../../libs/data/src/transform/index';
import { type TServableSignature, ZServableSignature } from '../../../libs/ml/src/export/servable-signature';
// Importing the custom layers registers them with tfjs's serialization registry, so a topology
// that names IndicatorEncoding or MaskedSequenceMean can be deserialized by tf.loadLayersModel.
import '../../../libs/ml/src/model/custom-layers/index';
import { customLayerNames } from '../../../libs/ml/src/model/registry';
import { disposeFeed, toModelFeed } from '../../../libs/ml/src/training/feed';

export type TRowPredictions = {
  /** Per row, the probability of each class in `signature.classLabels` order. */
  probabilities: number[][];
  /** Per row, the class label with the highest probability. */
  labels: string[];
};

export type TPagePredictions = TRowPredictions & {
  backend: string;
  /** Class names of the loaded model's layers: shows which custom layers were deserialized. */
  layerClassNames: string[];
  registeredCustomLayers: string[];
  loadMs: number;
  predictMs: number;
};

/** Transforms raw rows with the graph and predicts, feeding the model's inputs in signature order. */
export async function predictRows(
  model: tfl.LayersModel,
  signature: TServableSignature,
  graph: TTransformGraph,
  rows: readonly TRawRow[],
): Promise<TRowPredictions> {
  const feed = toModelFeed(applyTransform(graph, rows), signature.inputs.transformed.map((input) => input.name));
  try {
    const output = model.predict(feed.inputs.length === 1 ? (feed.inputs[0] as tf.Tensor) : feed.inputs) as tf.Tensor;
    const probabilities = (await output.array()) as number[][];
    output.dispose();
    const labels = probabilities.map((row) => {
      const best = row.reduce((bestIndex, p, k) => (p > (row[bestIndex] as number) ? k : bestIndex), 0);
      const label = signature.classLabels[best];
      if (label === undefined) throw new Error(`class index ${best} has no label in signature.classLabels (${signature.classLabels.length} labels)`);
      return label;
    });
    return { probabilities, labels };
  } finally {
    disposeFeed(feed);
  }
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.text();
}

/**
 * In the page: loads the servable whose version folder is at `versionUrl` and the model at
 * `modelJsonUrl` (the version's own model, or a re-saved copy of it), then predicts `rows`.
 */
export async function predictInPage(versionUrl: string, modelJsonUrl: string, rows: readonly TRawRow[]): Promise<TPagePredictions> {
  await tf.setBackend('cpu');
  await tf.ready();
  const started = performance.now();
  const [signatureText, graphText] = await Promise.all([fetchText(`${versionUrl}/signature.json`), fetchText(`${versionUrl}/transform_graph.json`)]);
  const signature = ZServableSignature.parse(JSON.parse(signatureText));
  const graph = parseTransformGraph(graphText);
  const model = await tfl.loadLayersModel(modelJsonUrl);
  const loaded = performance.now();
  try {
    const predictions = await predictRows(model, signature, graph, rows);
    return {
      ...predictions,
      backend: tf.getBackend(),
      layerClassNames: model.layers.map((layer) => layer.getClassName()),
      registeredCustomLayers: customLayerNames(),
      loadMs: loaded - started,
      predictMs: performance.now() - loaded,
    };
  } finally {
    model.dispose();
  }
}
