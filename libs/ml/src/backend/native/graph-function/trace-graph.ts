import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { tensorflowDataType, type NativeBackend, type NativeOpAttr, type NativeTensorMetadata } from '../native-backend';
import { ATTR_KIND, shapeAttr, type GraphNode } from './graph-def';

/**
 * A computation recorded as a graph: a Placeholder per argument and then per captured variable
 * (`inputs`, in that order), the ops as they ran, and an Identity node per result (`outputs`).
 */
export type TracedGraph = { nodes: GraphNode[]; inputs: string[]; outputs: string[]; captures: tf.Variable[] };

/** A trace's outcome: the results of the eager run always; the graph, or why there is none. */
export type TraceOutcome = { results: tf.Tensor[] } & ({ graph: TracedGraph } | { untraceable: string });

/** Raised inside the recorder; the run itself goes on eagerly (a step is never half done). */
class UntraceableError extends Error {}

type Binding = NativeBackend['binding'];
type BackendInternals = { tensorMap: { get(dataId: object): { id: number } | undefined } };

let tracing = 0;

/** Whether a trace is recording: code with a native side path (NativeAdam) takes its plain tfjs path then. */
export function isTracing(): boolean {
  return tracing > 0;
}

/** TensorFlow DataType numbers of the tfjs dtypes a graph may carry (the binding's TF_* constants). */
function dataTypeOf(binding: Binding, dtype: tf.DataType): number {
  const number = tensorflowDataType(binding, dtype);
  if (number === undefined) throw new UntraceableError(`a ${dtype} tensor cannot cross a graph function's boundary`);
  return number;
}

function bytesOf(values: unknown, what: string): Uint8Array {
  if (!ArrayBuffer.isView(values)) throw new UntraceableError(`${what} is not a typed array`);
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}

/**
 * Runs `compute` eagerly on the tensorflow backend while recording every op it sends to
 * TensorFlow, and returns its results with the recorded graph (tf.function's tracing, done by
 * watching tfjs-node's binding instead of building symbolic tensors).
 *
 * - `args` become the graph's first inputs, passed again on every call.
 * - A tfjs variable the computation reads becomes a captured input too (`captures`): each call
 *   passes its value at that time, so weights updated between calls are seen.
 * - Tensors built from JavaScript values during the run (Reshape's shape, scalars) and other
 *   tensors from outside become constants.
 * - A kernel that reads a value back mid-run (JavaScript that depends on data) makes the
 *   computation untraceable, as does a dtype TensorFlow functions cannot pass here. Recording
 *   stops then, but the run completes eagerly, so its results are always valid.
 */
export function traceGraph(backend: NativeBackend, args: readonly tf.Tensor[], compute: () => tf.Tensor[]): TraceOutcome {
  const binding = backend.binding;
  const internals = backend as unknown as BackendInternals;
  const endpointOf = new Map<number, string>();
  const shapeOf = new Map<number, readonly number[]>();
  const nodes: GraphNode[] = [];
  const inputs: string[] = [];
  const captures: tf.Variable[] = [];
  const variableByDataId = new Map<object, tf.Variable>();
  for (const variable of Object.values(tf.engine().registeredVariables)) variableByDataId.set(variable.dataId, variable);

  const addPlaceholder = (id: number, dtype: tf.DataType, shape: readonly number[]): void => {
    const name = `input${inputs.length}`;
    nodes.push({ name, op: 'Placeholder', inputs: [], attrs: [{ name: 'dtype', type: ATTR_KIND.type, value: dataTypeOf(binding, dtype) }, shapeAttr('shape', shape)] });
    inputs.push(name);
    shapeOf.set(id, shape);
    // The same tensor passed twice: its second Placeholder stays unused.
    if (!endpointOf.has(id)) endpointOf.set(id, name);
  };
  const addConstant = (id: number, dtype: number, shape: readonly number[], bytes: Uint8Array): void => {
    const name = `const${nodes.length}`;
    nodes.push({ name, op: 'Const', inputs: [], attrs: [{ name: 'dtype', type: ATTR_KIND.type, value: dtype }], constant: { dtype, shape, bytes } });
    endpointOf.set(id, name);
    shapeOf.set(id, shape);
  };

  let failure: string | undefined;
  const record = (what: () => void): void => {
    if (failure !== undefined) return;
    try {
      what();
    } catch (error) {
      if (!(error instanceof UntraceableError)) throw error;
      failure = error.message;
    }
  };

  backend.getInputTensorIds(args as tf.Tensor[]).forEach((id, index) => record(() => addPlaceholder(id, args[index]!.dtype, args[index]!.shape)));

  // The tensors of the kernel call in flight, to tell what an unknown tensor id is.
  let pending: readonly TensorInfo[] = [];
  const fromOutside = (id: number, op: string): void => {
    const info = pending.find((tensor) => internals.tensorMap.get(tensor.dataId)?.id === id);
    if (!info) throw new UntraceableError(`op ${op} uses a TensorFlow tensor that tfjs does not know`);
    const variable = variableByDataId.get(info.dataId);
    if (variable) {
      captures.push(variable);
      addPlaceholder(id, info.dtype, info.shape);
    } else {
      addConstant(id, dataTypeOf(binding, info.dtype), info.shape, bytesOf(binding.tensorDataSync(id), `tensor ${id}`));
    }
  };

  const recordOp = (name: string, attrs: NativeOpAttr[], inputIds: number[], metadata: NativeTensorMetadata[]): void => {
    const inputEndpoints = inputIds.map((id) => endpointOf.get(id) as string);
    const op = isBiasAdd(name, inputIds.map((id) => shapeOf.get(id))) ? 'BiasAdd' : name;
    const node = `op${nodes.length}_${op.replace(/[^A-Za-z0-9_]/g, '')}`;
    nodes.push({ name: node, op, inputs: inputEndpoints, attrs });
    metadata.forEach((output, index) => {
      endpointOf.set(output.id, index === 0 ? node : `${node}:${index}`);
      shapeOf.set(output.id, output.shape);
    });
  };

  const recorder = Object.create(binding, {
    createTensor: {
      value(shape: number[], dtype: number, values: unknown): number {
        const id = binding.createTensor(shape, dtype, values as Float32Array);
        record(() => addConstant(id, dtype, shape, bytesOf(values, `a constant of TensorFlow dtype ${dtype}`)));
        return id;
      },
    },
    executeOp: {
      value(name: string, attrs: NativeOpAttr[], inputIds: number[], outputs: number): NativeTensorMetadata[] {
        record(() => {
          for (const id of inputIds) if (!endpointOf.has(id)) fromOutside(id, name);
        });
        const metadata = binding.executeOp(name, attrs, inputIds, outputs);
        record(() => recordOp(name, attrs, inputIds, metadata));
        return metadata;
      },
    },
    tensorDataSync: {
      value(id: number): Float32Array {
        record(() => {
          throw new UntraceableError('a kernel reads a tensor back to JavaScript in the middle of the computation');
        });
        return binding.tensorDataSync(id);
      },
    },
  }) as Binding;

  const stockInputIds = backend.getInputTensorIds;
  const patched = backend as { binding: Binding; getInputTensorIds: (tensors: TensorInfo[]) => number[] };
  patched.binding = recorder;
  patched.getInputTensorIds = (tensors: TensorInfo[]) => {
    pending = tensors;
    return stockInputIds.call(backend, tensors as tf.Tensor[]);
  };
  tracing++;
  let results: tf.Tensor[];
  try {
    results = compute();
  } finally {
    tracing--;
    patched.binding = binding;
    delete (patched as Partial<typeof patched>).getInputTensorIds;
  }
  const outputs: string[] = [];
  backend.getInputTensorIds(results).forEach((id, index) =>
    record(() => {
      const source = endpointOf.get(id);
      if (source === undefined) throw new UntraceableError('a result of the computation was made outside it');
      const name = `output${index}`;
      nodes.push({ name, op: 'Identity', inputs: [source], attrs: [{ name: 'T', type: ATTR_KIND.type, value: dataTypeOf(binding, results[index]!.dtype) }] });
      outputs.push(name);
    }),
  );
  return failure === undefined ? { results, graph: { nodes, inputs, outputs, captures } } : { results, untraceable: failure };
}

/**
 * tfjs adds a layer's bias with a broadcasting Add; recorded as BiasAdd (the same sum when the
 * bias is a vector along the last axis), `fuseConvolutions` can merge it with the Conv2D before
 * it and the activation after it into one oneDNN kernel, as Keras's graphs run it.
 */
function isBiasAdd(op: string, shapes: readonly (readonly number[] | undefined)[]): boolean {
  if (op !== 'Add' && op !== 'AddV2') return false;
  const [value, bias] = shapes;
  return value !== undefined && bias !== undefined && value.length >= 2 && bias.length === 1 && bias[0] === value.at(-1);
}
