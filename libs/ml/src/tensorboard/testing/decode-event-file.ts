/**
 * An event-file reader for tests, written independently of the writer (own CRC-32C, own wire
 * reader, own field numbers from the TensorFlow / TensorBoard .proto files), so a test that
 * compares the two cannot pass by sharing a bug. It is strict: every record's length CRC and data
 * CRC is checked, and a truncated tail is an error (TensorBoard would skip it silently).
 */
import { readFile } from 'node:fs/promises';
import { PipelineError } from '@tsfx/shared';
import { crc32cReference, maskCrc32cReference } from './crc32c-reference';
import { asBytes, asDouble, asDoubles, asFloats, asInt64, asString, readFields, type WireField } from './wire-reader';

export type DecodedHistogram = {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  bucketLimits: number[];
  buckets: number[];
};

export type DecodedTensor = {
  /** tensorflow/core/framework/types.proto: 1 = DT_FLOAT, 7 = DT_STRING. */
  dtype: number;
  shape: number[];
  /** DT_FLOAT values, from float_val or tensor_content. */
  floats: number[];
  /** DT_STRING values (string_val) as UTF-8. */
  strings: string[];
};

export type DecodedHParamValue = string | number | boolean;

export type DecodedHParamsPluginData = {
  version: number;
  experiment?: {
    timeCreatedSecs: number;
    hparamInfos: { name: string; type: number }[];
    metricInfos: { group: string; tag: string }[];
  };
  sessionStartInfo?: {
    hparams: Record<string, DecodedHParamValue>;
    groupName: string;
    startTimeSecs: number;
  };
};

export type DecodedSummaryValue = {
  tag: string;
  pluginName: string | undefined;
  pluginContent: Uint8Array | undefined;
  /** `simple_value`, or the value of a DT_FLOAT tensor of shape []. */
  scalar: number | undefined;
  tensor: DecodedTensor | undefined;
  histogram: DecodedHistogram | undefined;
  /** The plugin content decoded, when the plugin is "hparams". */
  hparams: DecodedHParamsPluginData | undefined;
};

export type DecodedEvent = {
  /** Seconds since the UNIX epoch. */
  wallTime: number;
  step: number;
  fileVersion: string | undefined;
  /** The summary's values; empty for an event without a summary. */
  values: DecodedSummaryValue[];
};

const DT_FLOAT = 1;

export async function decodeEventFile(path: string): Promise<DecodedEvent[]> {
  return decodeEventBytes(new Uint8Array(await readFile(path)));
}

export function decodeEventBytes(bytes: Uint8Array): DecodedEvent[] {
  return readTfRecords(bytes).map(decodeEvent);
}

function corrupt(message: string, expected: number, received: number): PipelineError {
  const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
  return new PipelineError('ARTIFACT_CORRUPT', message, { expected: hex(expected), received: hex(received) });
}

/** Splits TFRecord framing: u64 length, masked CRC of the length, data, masked CRC of the data. */
export function readTfRecords(bytes: Uint8Array): Uint8Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const index = records.length;
    if (pos + 12 > bytes.length) {
      throw new PipelineError('ARTIFACT_CORRUPT', `record ${index} at byte ${pos} is truncated in its header`, {
        expected: '12 header bytes',
        received: `${bytes.length - pos}`,
      });
    }
    const lengthCrc = maskCrc32cReference(crc32cReference(bytes.subarray(pos, pos + 8)));
    const storedLengthCrc = view.getUint32(pos + 8, true);
    if (lengthCrc !== storedLengthCrc) throw corrupt(`length CRC mismatch in record ${index} at byte ${pos}`, lengthCrc, storedLengthCrc);
    const length = Number(view.getBigUint64(pos, true));
    const dataStart = pos + 12;
    if (dataStart + length + 4 > bytes.length) {
      throw new PipelineError('ARTIFACT_CORRUPT', `record ${index} at byte ${pos} is truncated`, {
        expected: `${length + 4} more bytes`,
        received: `${bytes.length - dataStart}`,
      });
    }
    const data = bytes.subarray(dataStart, dataStart + length);
    const dataCrc = maskCrc32cReference(crc32cReference(data));
    const storedDataCrc = view.getUint32(dataStart + length, true);
    if (dataCrc !== storedDataCrc) throw corrupt(`data CRC mismatch in record ${index} at byte ${pos}`, dataCrc, storedDataCrc);
    records.push(data);
    pos = dataStart + length + 4;
  }
  return records;
}

// Field numbers below are from tensorflow/core/util/event.proto, tensorflow/core/framework/
// {summary,histogram,tensor,tensor_shape}.proto, tensorboard/plugins/hparams/{plugin_data,api}.proto
// and google/protobuf/struct.proto.

function decodeEvent(record: Uint8Array): DecodedEvent {
  const event: DecodedEvent = { wallTime: 0, step: 0, fileVersion: undefined, values: [] };
  for (const field of readFields(record)) {
    if (field.field === 1) event.wallTime = asDouble(field);
    else if (field.field === 2) event.step = asInt64(field);
    else if (field.field === 3) event.fileVersion = asString(field);
    else if (field.field === 5) {
      for (const valueField of readFields(asBytes(field))) {
        if (valueField.field === 1) event.values.push(decodeSummaryValue(asBytes(valueField)));
      }
    }
  }
  return event;
}

function decodeSummaryValue(bytes: Uint8Array): DecodedSummaryValue {
  const value: DecodedSummaryValue = {
    tag: '',
    pluginName: undefined,
    pluginContent: undefined,
    scalar: undefined,
    tensor: undefined,
    histogram: undefined,
    hparams: undefined,
  };
  for (const field of readFields(bytes)) {
    if (field.field === 1) value.tag = asString(field);
    else if (field.field === 2) value.scalar = asFloats(field)[0];
    else if (field.field === 5) value.histogram = decodeHistogram(asBytes(field));
    else if (field.field === 8) value.tensor = decodeTensor(asBytes(field));
    else if (field.field === 9) {
      // SummaryMetadata.plugin_data (1) → PluginData{plugin_name (1), content (2)}
      for (const metadataField of readFields(asBytes(field))) {
        if (metadataField.field !== 1) continue;
        for (const pluginField of readFields(asBytes(metadataField))) {
          if (pluginField.field === 1) value.pluginName = asString(pluginField);
          else if (pluginField.field === 2) value.pluginContent = asBytes(pluginField);
        }
      }
    }
  }
  const tensor = value.tensor;
  if (tensor !== undefined && tensor.dtype === DT_FLOAT && tensor.shape.length === 0 && tensor.floats.length === 1) {
    value.scalar = tensor.floats[0];
  }
  if (value.pluginName === 'hparams') value.hparams = decodeHParamsPluginData(value.pluginContent ?? new Uint8Array(0));
  return value;
}

function decodeHistogram(bytes: Uint8Array): DecodedHistogram {
  const histogram: DecodedHistogram = { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimits: [], buckets: [] };
  for (const field of readFields(bytes)) {
    if (field.field === 1) histogram.min = asDouble(field);
    else if (field.field === 2) histogram.max = asDouble(field);
    else if (field.field === 3) histogram.num = asDouble(field);
    else if (field.field === 4) histogram.sum = asDouble(field);
    else if (field.field === 5) histogram.sumSquares = asDouble(field);
    else if (field.field === 6) histogram.bucketLimits.push(...asDoubles(field));
    else if (field.field === 7) histogram.buckets.push(...asDoubles(field));
  }
  return histogram;
}

function decodeTensor(bytes: Uint8Array): DecodedTensor {
  const tensor: DecodedTensor = { dtype: 0, shape: [], floats: [], strings: [] };
  let content: Uint8Array | undefined;
  for (const field of readFields(bytes)) {
    if (field.field === 1) tensor.dtype = asInt64(field);
    else if (field.field === 2) {
      // TensorShapeProto.dim (2) → Dim{size (1)}
      for (const dimField of readFields(asBytes(field))) {
        if (dimField.field !== 2) continue;
        let size = 0;
        for (const sizeField of readFields(asBytes(dimField))) if (sizeField.field === 1) size = asInt64(sizeField);
        tensor.shape.push(size);
      }
    } else if (field.field === 4) content = asBytes(field);
    else if (field.field === 5) tensor.floats.push(...asFloats(field));
    else if (field.field === 8) tensor.strings.push(asString(field));
  }
  if (content !== undefined && tensor.dtype === DT_FLOAT) {
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    for (let offset = 0; offset + 4 <= content.length; offset += 4) tensor.floats.push(view.getFloat32(offset, true));
  }
  return tensor;
}

function decodeHParamsPluginData(bytes: Uint8Array): DecodedHParamsPluginData {
  const data: DecodedHParamsPluginData = { version: 0 };
  for (const field of readFields(bytes)) {
    if (field.field === 1) data.version = asInt64(field);
    else if (field.field === 2) data.experiment = decodeExperiment(asBytes(field));
    else if (field.field === 3) data.sessionStartInfo = decodeSessionStartInfo(asBytes(field));
  }
  return data;
}

function decodeExperiment(bytes: Uint8Array): NonNullable<DecodedHParamsPluginData['experiment']> {
  const experiment: NonNullable<DecodedHParamsPluginData['experiment']> = { timeCreatedSecs: 0, hparamInfos: [], metricInfos: [] };
  for (const field of readFields(bytes)) {
    if (field.field === 3) experiment.timeCreatedSecs = asDouble(field);
    else if (field.field === 4) {
      const info = { name: '', type: 0 };
      for (const infoField of readFields(asBytes(field))) {
        if (infoField.field === 1) info.name = asString(infoField);
        else if (infoField.field === 4) info.type = asInt64(infoField);
      }
      experiment.hparamInfos.push(info);
    } else if (field.field === 5) {
      const name = { group: '', tag: '' };
      for (const infoField of readFields(asBytes(field))) {
        if (infoField.field !== 1) continue;
        for (const nameField of readFields(asBytes(infoField))) {
          if (nameField.field === 1) name.group = asString(nameField);
          else if (nameField.field === 2) name.tag = asString(nameField);
        }
      }
      experiment.metricInfos.push(name);
    }
  }
  return experiment;
}

function decodeSessionStartInfo(bytes: Uint8Array): NonNullable<DecodedHParamsPluginData['sessionStartInfo']> {
  const info: NonNullable<DecodedHParamsPluginData['sessionStartInfo']> = { hparams: {}, groupName: '', startTimeSecs: 0 };
  for (const field of readFields(bytes)) {
    if (field.field === 1) {
      // map<string, Value> entry: key (1), value (2)
      let key = '';
      let value: DecodedHParamValue | undefined;
      for (const entryField of readFields(asBytes(field))) {
        if (entryField.field === 1) key = asString(entryField);
        else if (entryField.field === 2) value = decodeProtobufValue(asBytes(entryField));
      }
      if (value === undefined) throw new Error(`hparam '${key}' has no value`);
      info.hparams[key] = value;
    } else if (field.field === 4) info.groupName = asString(field);
    else if (field.field === 5) info.startTimeSecs = asDouble(field);
  }
  return info;
}

/** google.protobuf.Value: number_value (2), string_value (3), bool_value (4). */
function decodeProtobufValue(bytes: Uint8Array): DecodedHParamValue {
  let value: DecodedHParamValue | undefined;
  for (const field of readFields(bytes)) value = decodeValueKind(field) ?? value;
  if (value === undefined) throw new Error('google.protobuf.Value holds no number, string or bool');
  return value;
}

function decodeValueKind(field: WireField): DecodedHParamValue | undefined {
  if (field.field === 2) return asDouble(field);
  if (field.field === 3) return asString(field);
  if (field.field === 4) return asInt64(field) !== 0;
  return undefined;
}

/** The points of one scalar tag, in file order: what a test compares with stored metrics. */
export function scalarSeries(events: readonly DecodedEvent[], tag: string): { step: number; wallTime: number; value: number }[] {
  return events.flatMap((event) =>
    event.values.flatMap((value) =>
      value.tag === tag && value.scalar !== undefined ? [{ step: event.step, wallTime: event.wallTime, value: value.scalar }] : [],
    ),
  );
}
