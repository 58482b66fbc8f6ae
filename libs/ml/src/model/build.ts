import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { TTransformOutput } from '@tsfx/data';
import { PipelineError, parseOrThrow } from '@tsfx/shared';
import { encodeDenseFeatures } from './dense-features';
import { ZDenseFeaturesConfig, ZInputConfig } from './layer-configs';
import { createLayer } from './layer-factory';
import { LayerNames, defaultLayerName, toTensorName } from './layer-names';
import { ZModelSpec, type TModelSpec } from './spec';

export type TBuildOptions = {
  /** The transform's outputs (`TTransformGraph.outputs`): what the model's inputs can be. */
  features: readonly TTransformOutput[];
  /** Classes of the label; fills `units: 'numClasses'`. */
  numClasses: number;
};

export type TBuiltModel = {
  model: tfl.LayersModel;
  /**
   * The model's input names, in the order `model.predict`/`fit` take their tensors. Each is a
   * transformed feature's name (`<column>_xf`) unless the spec declares an `Input` by shape, so the
   * contract with the training loop is: feed `inputNames.map((name) => features[name])`, each
   * `[batch, ...feature.shape]` of the feature's dtype.
   */
  inputNames: string[];
};

/** One layer of the graph being built: sequential specs become a chain of these. */
type TNode = {
  /** Unique key inside the spec (the layer's name, or its position for unnamed sequential layers). */
  key: string;
  /** The name the spec gives the layer, if any. */
  name: string | undefined;
  type: string;
  config: Record<string, unknown> | undefined;
  inbound: string[];
};

type TGraph = { nodes: TNode[]; inputs: string[]; outputs: string[]; modelName: string };

/**
 * Builds an uncompiled tfjs LayersModel from a model spec (parsed and checked here, so JSON
 * straight from a user is fine) and the transform's outputs. Models are built as functional
 * graphs, so a sequential spec may start with `DenseFeatures` (several model inputs); layer
 * names follow Keras (`conv2d`, `conv2d_1`, …) unless the spec names them.
 *
 * @throws PipelineError `INVALID_INPUT` for a spec that does not parse, or one that does not fit
 *   the features (an unknown feature, an int32 feature with no dense encoding, a name clash).
 */
export function buildModel(spec: TModelSpec | unknown, options: TBuildOptions): TBuiltModel {
  const parsed = parseOrThrow(ZModelSpec, spec, 'model spec');
  const graph = toGraph(parsed, options.features);
  const featuresByName = new Map(options.features.map((feature) => [feature.name, feature]));

  const names = new LayerNames(graph.nodes.flatMap((node) => (node.name === undefined ? [] : [node.name])));
  const modelInputs: tfl.SymbolicTensor[] = [];
  /** What the training loop feeds each model input: the feature's name (its layer name may be sanitized). */
  const feedNames: string[] = [];
  /** `name` must already be claimed. */
  const addInput = (name: string, shape: number[], dtype: tf.DataType, feedName = name): tfl.SymbolicTensor => {
    const input = tfl.input({ name, shape, dtype });
    modelInputs.push(input);
    feedNames.push(feedName);
    return input;
  };
  /** One input per feature, however many Input/DenseFeatures layers read it. */
  const featureInputs = new Map<string, tfl.SymbolicTensor>();
  const inputFor = (feature: TTransformOutput): tfl.SymbolicTensor => {
    const existing = featureInputs.get(feature.name);
    if (existing) return existing;
    checkFeatureShape(feature);
    const input = addInput(names.claim(toTensorName(feature.name), `the model input for feature '${feature.name}'`), feature.shape, feature.dtype, feature.name);
    featureInputs.set(feature.name, input);
    return input;
  };
  const findFeature = (name: string, layer: TNode): TTransformOutput => {
    const feature = featuresByName.get(name);
    if (!feature) {
      throw new PipelineError('INVALID_INPUT', `layer ${describe(layer)} takes feature '${name}', which the transform does not produce`, {
        expected: `one of ${[...featuresByName.keys()].join(', ') || '(no features)'}`,
        received: name,
      });
    }
    return feature;
  };

  const outputsByKey = new Map<string, tfl.SymbolicTensor | tfl.SymbolicTensor[]>();
  const layerContext = { numClasses: options.numClasses };
  for (const node of topologicalOrder(graph)) {
    if (node.type === 'Input') {
      const config = parseOrThrow(ZInputConfig, node.config ?? {}, `config of layer ${describe(node)}`);
      if (config.feature !== undefined) {
        const feature = findFeature(config.feature, node);
        checkInputMatchesFeature(node, config, feature);
        outputsByKey.set(node.key, inputFor(feature));
      } else {
        const name = node.name === undefined ? names.fresh('input') : names.claim(node.name, `Input ${describe(node)}`);
        outputsByKey.set(node.key, addInput(name, config.shape ?? [], config.dtype ?? 'float32'));
      }
      continue;
    }
    if (node.type === 'DenseFeatures') {
      const config = parseOrThrow(ZDenseFeaturesConfig, node.config ?? {}, `config of layer ${describe(node)}`);
      const features = config.features ? config.features.map((name) => findFeature(name, node)) : options.features;
      const name = node.name === undefined ? names.fresh('dense_features') : names.claim(node.name, `DenseFeatures '${node.name}'`);
      outputsByKey.set(node.key, encodeDenseFeatures(features, name, { inputFor, names }));
      continue;
    }
    const name = node.name === undefined ? names.fresh(defaultLayerName(node.type)) : names.claim(node.name, `layer '${node.name}'`);
    const layer = createLayer(node.type, node.config, name, layerContext);
    const inbound = node.inbound.map((key) => outputsByKey.get(key) as tfl.SymbolicTensor | tfl.SymbolicTensor[]);
    const input = inbound.length === 1 ? (inbound[0] as tfl.SymbolicTensor | tfl.SymbolicTensor[]) : (inbound.flat() as tfl.SymbolicTensor[]);
    outputsByKey.set(node.key, layer.apply(input) as tfl.SymbolicTensor | tfl.SymbolicTensor[]);
  }

  const outputs = graph.outputs.flatMap((key) => {
    const output = outputsByKey.get(key) as tfl.SymbolicTensor | tfl.SymbolicTensor[];
    return Array.isArray(output) ? output : [output];
  });
  const model = tfl.model({ inputs: modelInputs, outputs, name: graph.modelName });
  // tfl.model keeps the inputs in the order given, so feedNames lines up with model.inputs.
  return { model, inputNames: feedNames };
}

function describe(node: TNode): string {
  return node.name === undefined ? `${node.key} (${node.type})` : `'${node.name}' (${node.type})`;
}

/** Sequential specs become a chain; one that starts with neither Input nor DenseFeatures takes the only feature. */
function toGraph(spec: TModelSpec, features: readonly TTransformOutput[]): TGraph {
  if (spec.kind === 'functional') {
    return {
      nodes: spec.layers.map((layer) => ({ key: layer.name, name: layer.name, type: layer.type, config: layer.config, inbound: layer.inbound ?? [] })),
      inputs: spec.inputs,
      outputs: spec.outputs,
      modelName: 'model',
    };
  }
  const nodes: TNode[] = [];
  const first = spec.layers[0];
  if (first && first.type !== 'Input' && first.type !== 'DenseFeatures') {
    const [only, ...others] = features;
    if (only === undefined || others.length > 0) {
      throw new PipelineError('INVALID_INPUT', 'a sequential spec that starts with neither Input nor DenseFeatures needs exactly one transformed feature', {
        expected: 'one feature, or a first layer { type: "Input", config: { feature } } or { type: "DenseFeatures" }',
        received: `features ${features.map((feature) => feature.name).join(', ') || '(none)'}`,
      });
    }
    nodes.push({ key: '#input', name: undefined, type: 'Input', config: { feature: only.name }, inbound: [] });
  }
  spec.layers.forEach((layer, index) => {
    const previous = nodes[nodes.length - 1];
    nodes.push({
      key: `#${index}`,
      name: layer.name,
      type: layer.type,
      config: layer.config,
      inbound: previous ? [previous.key] : [],
    });
  });
  const [source] = nodes;
  const last = nodes[nodes.length - 1];
  return { nodes, inputs: source ? [source.key] : [], outputs: last ? [last.key] : [], modelName: 'sequential' };
}

/** Inputs first, in the spec's input order (that is the model's input order), then every other layer after its inbound ones. */
function topologicalOrder(graph: TGraph): TNode[] {
  const byKey = new Map(graph.nodes.map((node) => [node.key, node]));
  const ordered: TNode[] = [];
  const placed = new Set<string>();
  const place = (key: string) => {
    if (placed.has(key)) return;
    const node = byKey.get(key);
    if (!node) throw new Error(`internal: layer '${key}' is not in the graph`);
    placed.add(key);
    // ZModelSpec rejects cycles, so this recursion ends.
    for (const source of node.inbound) place(source);
    ordered.push(node);
  };
  for (const key of graph.inputs) place(key);
  for (const node of graph.nodes) place(node.key);
  return ordered;
}

function checkFeatureShape(feature: TTransformOutput): void {
  if (feature.shape.some((size) => size < 1)) {
    throw new PipelineError('INVALID_INPUT', `feature '${feature.name}' has an empty dimension, so it cannot be a model input`, {
      expected: 'every dimension ≥ 1',
      received: `shape [${feature.shape.join(', ')}]`,
    });
  }
}

function checkInputMatchesFeature(node: TNode, config: { shape?: number[] | undefined; dtype?: string | undefined }, feature: TTransformOutput): void {
  const shapeDiffers = config.shape !== undefined && config.shape.join(',') !== feature.shape.join(',');
  const dtypeDiffers = config.dtype !== undefined && config.dtype !== feature.dtype;
  if (shapeDiffers || dtypeDiffers) {
    throw new PipelineError('INVALID_INPUT', `Input ${describe(node)} declares a shape or dtype that feature '${feature.name}' does not have`, {
      expected: `${feature.dtype} [${feature.shape.join(', ')}] (or leave shape and dtype out)`,
      received: `${config.dtype ?? feature.dtype} [${(config.shape ?? feature.shape).join(', ')}]`,
    });
  }
}
