/**
 * Encodes a TensorFlow GraphDef (tensorflow/core/framework/graph.proto) by hand, like the
 * TensorBoard encoders: the few messages a traced forward pass needs, field numbers written once
 * here. Attributes arrive in tfjs-node's `{ name, type, value }` form, so the graph holds exactly
 * what the eager kernels asked TensorFlow for.
 */
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { NativeOpAttr } from '../native-backend';

/** tfjs-node binding's attribute kinds (TF_AttrType in tensorflow/c/c_api.h). */
export const ATTR_KIND = { string: 0, int: 1, float: 2, bool: 3, type: 4, shape: 5 } as const;

/** graph.proto `GraphDef`, node_def.proto `NodeDef`, attr_value.proto `AttrValue` and `AttrValue.ListValue`. */
const GRAPH_DEF = { node: 1 } as const;
const NODE_DEF = { name: 1, op: 2, input: 3, attr: 5 } as const;
const MAP_ENTRY = { key: 1, value: 2 } as const;
const ATTR_VALUE = { list: 1, s: 2, i: 3, f: 4, b: 5, type: 6, shape: 7, tensor: 8 } as const;
const LIST_VALUE = { s: 2, i: 3, f: 4, b: 5, type: 6 } as const;
/** tensor.proto `TensorProto`, tensor_shape.proto `TensorShapeProto` and its `Dim`. */
const TENSOR = { dtype: 1, tensorShape: 2, tensorContent: 4 } as const;
const TENSOR_SHAPE = { dim: 2 } as const;
const TENSOR_SHAPE_DIM = { size: 1 } as const;

/** A constant's value: the dtype as TensorFlow's DataType number, and the raw little-endian bytes. */
export type ConstantValue = { dtype: number; shape: readonly number[]; bytes: Uint8Array };

/** One node: `inputs` are `node` or `node:index` endpoints. */
export type GraphNode = {
  name: string;
  op: string;
  inputs: readonly string[];
  attrs: readonly NativeOpAttr[];
  /** For `Const`: its value, written as the `value` tensor attribute. */
  constant?: ConstantValue;
};

export function encodeGraphDef(nodes: readonly GraphNode[]): Uint8Array {
  const writer = new BinaryWriter();
  for (const node of nodes) {
    writer.tag(GRAPH_DEF.node, WireType.LengthDelimited).fork();
    writer.tag(NODE_DEF.name, WireType.LengthDelimited).string(node.name);
    writer.tag(NODE_DEF.op, WireType.LengthDelimited).string(node.op);
    for (const input of node.inputs) writer.tag(NODE_DEF.input, WireType.LengthDelimited).string(input);
    for (const attr of node.attrs) {
      writer.tag(NODE_DEF.attr, WireType.LengthDelimited).fork();
      writer.tag(MAP_ENTRY.key, WireType.LengthDelimited).string(attr.name);
      writer.tag(MAP_ENTRY.value, WireType.LengthDelimited).fork();
      writeAttrValue(writer, attr);
      writer.join().join();
    }
    if (node.constant) {
      writer.tag(NODE_DEF.attr, WireType.LengthDelimited).fork();
      writer.tag(MAP_ENTRY.key, WireType.LengthDelimited).string('value');
      writer.tag(MAP_ENTRY.value, WireType.LengthDelimited).fork();
      writeTensor(writer, node.constant);
      writer.join().join();
    }
    writer.join();
  }
  return writer.finish();
}

function writeAttrValue(writer: BinaryWriter, attr: NativeOpAttr): void {
  const { type, value } = attr;
  if (type === ATTR_KIND.shape) {
    // tfjs-node passes a shape attribute as the list of its dimensions.
    if (!Array.isArray(value)) throw new Error(`attribute '${attr.name}': a shape must be a list of dimensions, got ${typeof value}`);
    writer.tag(ATTR_VALUE.shape, WireType.LengthDelimited).fork();
    writeShapeDims(writer, value.map(Number));
    writer.join();
    return;
  }
  if (Array.isArray(value)) {
    writer.tag(ATTR_VALUE.list, WireType.LengthDelimited).fork();
    writeList(writer, attr, value);
    writer.join();
    return;
  }
  switch (type) {
    case ATTR_KIND.string:
      writer.tag(ATTR_VALUE.s, WireType.LengthDelimited).string(String(value));
      return;
    case ATTR_KIND.int:
      writer.tag(ATTR_VALUE.i, WireType.Varint).int64(Number(value));
      return;
    case ATTR_KIND.float:
      writer.tag(ATTR_VALUE.f, WireType.Bit32).float(Number(value));
      return;
    case ATTR_KIND.bool:
      writer.tag(ATTR_VALUE.b, WireType.Varint).bool(Boolean(value));
      return;
    case ATTR_KIND.type:
      writer.tag(ATTR_VALUE.type, WireType.Varint).int32(Number(value));
      return;
    default:
      throw new Error(`attribute '${attr.name}': kind ${type} with a scalar value is not supported in a graph function`);
  }
}

function writeList(writer: BinaryWriter, attr: NativeOpAttr, values: readonly unknown[]): void {
  switch (attr.type) {
    case ATTR_KIND.string:
      for (const value of values) writer.tag(LIST_VALUE.s, WireType.LengthDelimited).string(String(value));
      return;
    case ATTR_KIND.int:
      writePacked(writer, LIST_VALUE.i, values, (v) => writer.int64(Number(v)));
      return;
    case ATTR_KIND.float:
      writePacked(writer, LIST_VALUE.f, values, (v) => writer.float(Number(v)));
      return;
    case ATTR_KIND.bool:
      writePacked(writer, LIST_VALUE.b, values, (v) => writer.bool(Boolean(v)));
      return;
    case ATTR_KIND.type:
      writePacked(writer, LIST_VALUE.type, values, (v) => writer.int32(Number(v)));
      return;
    default:
      throw new Error(`attribute '${attr.name}': kind ${attr.type} is not supported in a graph function`);
  }
}

function writePacked(writer: BinaryWriter, field: number, values: readonly unknown[], write: (value: unknown) => void): void {
  if (values.length === 0) return;
  writer.tag(field, WireType.LengthDelimited).fork();
  for (const value of values) write(value);
  writer.join();
}

function writeShapeDims(writer: BinaryWriter, dims: readonly number[]): void {
  for (const size of dims) {
    writer.tag(TENSOR_SHAPE.dim, WireType.LengthDelimited).fork();
    writer.tag(TENSOR_SHAPE_DIM.size, WireType.Varint).int64(size);
    writer.join();
  }
}

function writeTensor(writer: BinaryWriter, constant: ConstantValue): void {
  writer.tag(ATTR_VALUE.tensor, WireType.LengthDelimited).fork();
  writer.tag(TENSOR.dtype, WireType.Varint).int32(constant.dtype);
  writer.tag(TENSOR.tensorShape, WireType.LengthDelimited).fork();
  writeShapeDims(writer, constant.shape);
  writer.join();
  writer.tag(TENSOR.tensorContent, WireType.LengthDelimited).bytes(constant.bytes);
  writer.join();
}

/** A Placeholder's `shape` attribute (a TensorShapeProto, not a list). */
export function shapeAttr(name: string, dims: readonly number[]): NativeOpAttr {
  return { name, type: ATTR_KIND.shape, value: dims };
}
