/**
 * Field numbers and enum values of the protobuf messages a TensorBoard event file holds.
 * We encode by hand with `@bufbuild/protobuf`'s BinaryWriter instead of generating code, so
 * every number is written down once, here, next to the .proto that defines it.
 * Checked against the descriptors of the `tensorboard` 2.21 Python package.
 */

/** tensorflow/core/util/event.proto, `message Event`. */
export const EVENT = {
  /** double: seconds since the UNIX epoch. */
  wallTime: 1,
  /** int64 */
  step: 2,
  /** string, `oneof what`: only in the first event of a file. */
  fileVersion: 3,
  /** Summary, `oneof what`. */
  summary: 5,
} as const;

/** tensorflow/core/framework/summary.proto, `message Summary`. */
export const SUMMARY = { value: 1 } as const;

/** tensorflow/core/framework/summary.proto, `message Summary.Value`. */
export const SUMMARY_VALUE = {
  tag: 1,
  /** HistogramProto, `oneof value`. */
  histo: 5,
  /** TensorProto, `oneof value`. */
  tensor: 8,
  metadata: 9,
} as const;

/** tensorflow/core/framework/summary.proto, `message SummaryMetadata`. */
export const SUMMARY_METADATA = { pluginData: 1 } as const;

/** tensorflow/core/framework/summary.proto, `message SummaryMetadata.PluginData`. */
export const PLUGIN_DATA = { pluginName: 1, content: 2 } as const;

/** tensorflow/core/framework/histogram.proto, `message HistogramProto` (all doubles; the last two packed). */
export const HISTOGRAM = { min: 1, max: 2, num: 3, sum: 4, sumSquares: 5, bucketLimit: 6, bucket: 7 } as const;

/** tensorflow/core/framework/tensor.proto, `message TensorProto`. */
export const TENSOR = { dtype: 1, tensorShape: 2, tensorContent: 4, stringVal: 8 } as const;

/** tensorflow/core/framework/tensor_shape.proto, `message TensorShapeProto` and its `Dim`. */
export const TENSOR_SHAPE = { dim: 2 } as const;
export const TENSOR_SHAPE_DIM = { size: 1 } as const;

/** tensorflow/core/framework/types.proto, `enum DataType`. */
export const DATA_TYPE = { DT_FLOAT: 1, DT_STRING: 7 } as const;

/** tensorboard/plugins/hparams/plugin_data.proto, `message HParamsPluginData`. */
export const HPARAMS_PLUGIN_DATA = {
  /** int32; always 0 (PLUGIN_DATA_VERSION in tensorboard/plugins/hparams/metadata.py). */
  version: 1,
  /** Experiment, `oneof data`. */
  experiment: 2,
  /** SessionStartInfo, `oneof data`. */
  sessionStartInfo: 3,
} as const;

/** tensorboard/plugins/hparams/plugin_data.proto, `message SessionStartInfo`. */
export const SESSION_START_INFO = {
  /** map<string, google.protobuf.Value> */
  hparams: 1,
  groupName: 4,
  /** double */
  startTimeSecs: 5,
} as const;

/** tensorboard/plugins/hparams/api.proto, `message Experiment`. */
export const EXPERIMENT = { timeCreatedSecs: 3, hparamInfos: 4, metricInfos: 5 } as const;

/** tensorboard/plugins/hparams/api.proto, `message HParamInfo`. */
export const HPARAM_INFO = { name: 1, type: 4 } as const;

/** tensorboard/plugins/hparams/api.proto, `enum DataType` (of an hparam, not of a tensor). */
export const HPARAM_DATA_TYPE = { STRING: 1, BOOL: 2, FLOAT64: 3 } as const;

/** tensorboard/plugins/hparams/api.proto, `message MetricInfo` and `message MetricName`. */
export const METRIC_INFO = { name: 1 } as const;
export const METRIC_NAME = { group: 1, tag: 2 } as const;

/** google/protobuf/struct.proto, `message Value` (`oneof kind`). */
export const PROTOBUF_VALUE = { numberValue: 2, stringValue: 3, boolValue: 4 } as const;

/** A protobuf `map<K, V>` is sent as repeated entry messages with the key in field 1, the value in field 2. */
export const MAP_ENTRY = { key: 1, value: 2 } as const;

/** What the first event of every event file says (TensorBoard checks it to recognise the format). */
export const FILE_VERSION = 'brain.Event:2';

/** Plugin names TensorBoard dispatches on (tensorboard/plugins/{scalar,hparams,graph}/metadata.py). */
export const PLUGIN_NAME = {
  scalars: 'scalars',
  hparams: 'hparams',
  /** Keras' `keras_model_summary` hard-codes this name; its content is the version, "1". */
  kerasModel: 'graph_keras_model',
} as const;

/** Tags the hparams plugin looks for (tensorboard/plugins/hparams/metadata.py). */
export const HPARAMS_TAG = {
  experiment: '_hparams_/experiment',
  sessionStartInfo: '_hparams_/session_start_info',
} as const;

/** The tag Keras' TensorBoard callback gives the model config (`keras_model_summary('keras', model)`). */
export const KERAS_MODEL_TAG = 'keras';
