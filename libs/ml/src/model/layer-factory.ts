import * as tfl from '@tensorflow/tfjs-layers';
import { PipelineError } from '@tsfx/shared';
import { NUM_CLASSES, parseBuiltinConfig, type TBuiltinLayerType } from './layer-configs';
import { getCustomLayer, knownLayerTypes } from './registry';

export type TLayerContext = { numClasses: number };

/** The layer types that make a tfjs layer (Input and DenseFeatures make model inputs instead). */
type TLayerMakingType = Exclude<TBuiltinLayerType, 'Input' | 'DenseFeatures'>;

function parsed<K extends TBuiltinLayerType>(type: K, config: unknown, name: string) {
  const result = parseBuiltinConfig(type, config);
  if (!result.success) {
    // ZModelSpec checked this already; reaching here means the spec skipped parsing.
    throw new PipelineError('INVALID_INPUT', `layer '${name}' (${type}) has an invalid config: ${result.error.message}`);
  }
  return result.data;
}

function resolveUnits(units: number | typeof NUM_CLASSES, name: string, { numClasses }: TLayerContext): number {
  if (units !== NUM_CLASSES) return units;
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new PipelineError('INVALID_INPUT', `layer '${name}' has units 'numClasses', but the label has no classes`, {
      expected: 'numClasses ≥ 1',
      received: String(numClasses),
    });
  }
  return numClasses;
}

/** A built-in layer from its spec config; the name is already unique within the model. */
function createBuiltinLayer(type: TLayerMakingType, config: unknown, name: string, ctx: TLayerContext): tfl.layers.Layer {
  switch (type) {
    case 'Dense': {
      const { units, ...rest } = parsed(type, config, name);
      return tfl.layers.dense({ ...rest, units: resolveUnits(units, name, ctx), name });
    }
    case 'Conv2D':
      return tfl.layers.conv2d({ ...parsed(type, config, name), dataFormat: 'channelsLast', name });
    case 'MaxPooling2D': {
      const { poolSize = 2, ...rest } = parsed(type, config, name);
      return tfl.layers.maxPooling2d({ ...rest, poolSize, dataFormat: 'channelsLast', name });
    }
    case 'AveragePooling2D': {
      const { poolSize = 2, ...rest } = parsed(type, config, name);
      return tfl.layers.averagePooling2d({ ...rest, poolSize, dataFormat: 'channelsLast', name });
    }
    case 'GlobalAveragePooling2D':
      parsed(type, config, name);
      return tfl.layers.globalAveragePooling2d({ dataFormat: 'channelsLast', name });
    case 'Flatten':
      parsed(type, config, name);
      return tfl.layers.flatten({ name });
    case 'Dropout':
      return tfl.layers.dropout({ ...parsed(type, config, name), name });
    case 'BatchNormalization':
      return tfl.layers.batchNormalization({ ...parsed(type, config, name), name });
    case 'Embedding':
      return tfl.layers.embedding({ ...parsed(type, config, name), name });
    case 'Concatenate':
      return tfl.layers.concatenate({ ...parsed(type, config, name), name });
    case 'Rescaling':
      return tfl.layers.rescaling({ ...parsed(type, config, name), name });
  }
}

/** A layer of a spec: a built-in, or a registered custom layer constructed with its config. */
export function createLayer(type: string, config: Record<string, unknown> | undefined, name: string, ctx: TLayerContext): tfl.layers.Layer {
  if (type !== 'Input' && type !== 'DenseFeatures' && isLayerMakingType(type)) return createBuiltinLayer(type, config, name, ctx);
  const custom = getCustomLayer(type);
  if (!custom) {
    throw new PipelineError('INVALID_INPUT', `unknown layer type '${type}' (layer '${name}')`, {
      expected: knownLayerTypes(),
      received: type,
    });
  }
  return new custom.cls({ ...(config ?? {}), name });
}

const LAYER_MAKING_TYPES: readonly string[] = [
  'Dense',
  'Conv2D',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'Flatten',
  'Dropout',
  'BatchNormalization',
  'Embedding',
  'Concatenate',
  'Rescaling',
] satisfies TLayerMakingType[];

function isLayerMakingType(type: string): type is TLayerMakingType {
  return LAYER_MAKING_TYPES.includes(type);
}
