/**
 * Hand-written encoders for the Event and Summary messages we write (field numbers in
 * proto-fields.ts). A Summary.Value is encoded on its own and embedded as bytes in its
 * Event, which is exactly the wire format of a nested message.
 */
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { THistogram } from './histogram-buckets';
import {
  DATA_TYPE,
  EVENT,
  HISTOGRAM,
  PLUGIN_DATA,
  PLUGIN_NAME,
  SUMMARY,
  SUMMARY_METADATA,
  SUMMARY_VALUE,
  TENSOR,
  TENSOR_SHAPE,
  TENSOR_SHAPE_DIM,
} from './proto-fields';

const utf8 = new TextEncoder();

export type EventFields = {
  /** Seconds since the UNIX epoch. */
  wallTime: number;
  step: number;
} & ({ fileVersion: string } | { summaryValues: readonly Uint8Array[] });

export function encodeEvent(event: EventFields): Uint8Array {
  const writer = new BinaryWriter()
    .tag(EVENT.wallTime, WireType.Bit64)
    .double(event.wallTime)
    .tag(EVENT.step, WireType.Varint)
    .int64(event.step);
  if ('fileVersion' in event) {
    writer.tag(EVENT.fileVersion, WireType.LengthDelimited).string(event.fileVersion);
  } else {
    writer.tag(EVENT.summary, WireType.LengthDelimited).fork();
    for (const value of event.summaryValues) writer.tag(SUMMARY.value, WireType.LengthDelimited).bytes(value);
    writer.join();
  }
  return writer.finish();
}

// Nested messages are written in place with fork()/join() (which prefix their length): one
// writer per message tree keeps a scalar at a few microseconds.

function writeSummaryMetadata(writer: BinaryWriter, pluginName: string, content?: Uint8Array): void {
  writer.tag(SUMMARY_VALUE.metadata, WireType.LengthDelimited).fork();
  writer.tag(SUMMARY_METADATA.pluginData, WireType.LengthDelimited).fork();
  writer.tag(PLUGIN_DATA.pluginName, WireType.LengthDelimited).string(pluginName);
  if (content !== undefined && content.length > 0) writer.tag(PLUGIN_DATA.content, WireType.LengthDelimited).bytes(content);
  writer.join().join();
}

type TensorFields = { dtype: number; shape: readonly number[] } & ({ content: Uint8Array } | { strings: readonly Uint8Array[] });

function writeTensor(writer: BinaryWriter, tensor: TensorFields): void {
  writer.tag(SUMMARY_VALUE.tensor, WireType.LengthDelimited).fork();
  writer.tag(TENSOR.dtype, WireType.Varint).int32(tensor.dtype);
  // A scalar still carries an (empty) shape: TensorFlow always writes it.
  writer.tag(TENSOR.tensorShape, WireType.LengthDelimited).fork();
  for (const size of tensor.shape) {
    writer.tag(TENSOR_SHAPE.dim, WireType.LengthDelimited).fork();
    // proto3 leaves a zero size out, as TensorFlow does.
    if (size !== 0) writer.tag(TENSOR_SHAPE_DIM.size, WireType.Varint).int64(size);
    writer.join();
  }
  writer.join();
  if ('content' in tensor) {
    if (tensor.content.length > 0) writer.tag(TENSOR.tensorContent, WireType.LengthDelimited).bytes(tensor.content);
  } else {
    for (const value of tensor.strings) writer.tag(TENSOR.stringVal, WireType.LengthDelimited).bytes(value);
  }
  writer.join();
}

/**
 * A TF2 scalar: a float32 tensor of shape [] under the scalars plugin. float32 because
 * TensorBoard's scalar plugin drops float64 tensors; NaN and ±Infinity are kept (it plots them).
 */
export function encodeScalarValue(tag: string, value: number): Uint8Array {
  const content = new Uint8Array(4);
  new DataView(content.buffer).setFloat32(0, value, true);
  const writer = new BinaryWriter().tag(SUMMARY_VALUE.tag, WireType.LengthDelimited).string(tag);
  writeSummaryMetadata(writer, PLUGIN_NAME.scalars);
  writeTensor(writer, { dtype: DATA_TYPE.DT_FLOAT, shape: [], content });
  return writer.finish();
}

/** A `Summary.Value.histo`, which TensorBoard's histograms and distributions dashboards read. */
export function encodeHistogramValue(tag: string, histogram: THistogram): Uint8Array {
  const writer = new BinaryWriter().tag(SUMMARY_VALUE.tag, WireType.LengthDelimited).string(tag);
  writer
    .tag(SUMMARY_VALUE.histo, WireType.LengthDelimited)
    .fork()
    .tag(HISTOGRAM.min, WireType.Bit64)
    .double(histogram.min)
    .tag(HISTOGRAM.max, WireType.Bit64)
    .double(histogram.max)
    .tag(HISTOGRAM.num, WireType.Bit64)
    .double(histogram.num)
    .tag(HISTOGRAM.sum, WireType.Bit64)
    .double(histogram.sum)
    .tag(HISTOGRAM.sumSquares, WireType.Bit64)
    .double(histogram.sumSquares);
  writer.tag(HISTOGRAM.bucketLimit, WireType.LengthDelimited).fork();
  for (const limit of histogram.bucketLimits) writer.double(limit);
  writer.join().tag(HISTOGRAM.bucket, WireType.LengthDelimited).fork();
  for (const count of histogram.bucketCounts) writer.double(count);
  writer.join().join();
  return writer.finish();
}

/** A string tensor of shape [] under a plugin, e.g. the Keras model config under "graph_keras_model". */
export function encodeStringTensorValue(tag: string, pluginName: string, pluginContent: Uint8Array, text: string): Uint8Array {
  const writer = new BinaryWriter().tag(SUMMARY_VALUE.tag, WireType.LengthDelimited).string(tag);
  writeSummaryMetadata(writer, pluginName, pluginContent);
  writeTensor(writer, { dtype: DATA_TYPE.DT_STRING, shape: [], strings: [utf8.encode(text)] });
  return writer.finish();
}

/**
 * A value whose payload is all in its plugin metadata (the hparams plugin). It carries the
 * hparams plugin's NULL_TENSOR, an empty float vector of shape [0]
 * (tensorboard/plugins/hparams/metadata.py), because readers expect every value to hold a tensor.
 */
export function encodeMetadataOnlyValue(tag: string, pluginName: string, pluginContent: Uint8Array): Uint8Array {
  const writer = new BinaryWriter().tag(SUMMARY_VALUE.tag, WireType.LengthDelimited).string(tag);
  writeSummaryMetadata(writer, pluginName, pluginContent);
  writeTensor(writer, { dtype: DATA_TYPE.DT_FLOAT, shape: [0], content: new Uint8Array(0) });
  return writer.finish();
}
