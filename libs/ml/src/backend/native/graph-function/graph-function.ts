import * as tf from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../native-backend';
import { encodeGraphDef } from './graph-def';
import type { TracedGraph } from './trace-graph';

/** The binding calls `npm run setup:native` adds to tfjs-node (scripts/native-binding). */
type GraphFunctionBinding = {
  addGraphFunction(name: string, graphDef: Uint8Array, inputs: string[], outputs: string[]): void;
  removeGraphFunction(name: string): void;
};

function graphBinding(backend: NativeBackend): GraphFunctionBinding | undefined {
  const binding = backend.binding as unknown as Partial<GraphFunctionBinding>;
  return typeof binding.addGraphFunction === 'function' && typeof binding.removeGraphFunction === 'function' ? (binding as GraphFunctionBinding) : undefined;
}

/** Whether this tfjs-node build can run graph functions (built by `npm run setup:native` from source). */
export function supportsGraphFunctions(backend: NativeBackend): boolean {
  return graphBinding(backend) !== undefined;
}

let registered = 0;
let live = 0;

/** How many graph functions are registered now (for tests and diagnostics). */
export function liveGraphFunctions(): number {
  return live;
}

/**
 * A traced graph registered as a TensorFlow function: one `call` runs it whole inside
 * TensorFlow (grappler's fusions, oneDNN layouts, no per-op JavaScript) instead of op by op.
 */
export class GraphFunction {
  private disposed = false;

  private constructor(
    private readonly backend: NativeBackend,
    private readonly binding: GraphFunctionBinding,
    readonly name: string,
    private readonly outputCount: number,
    private readonly captures: readonly tf.Variable[],
  ) {}

  static register(backend: NativeBackend, graph: TracedGraph): GraphFunction {
    const binding = graphBinding(backend);
    if (!binding) throw new Error('this @tensorflow/tfjs-node build has no graph functions: run `npm run setup:native -- --force --from-wheel`');
    const name = `tsfx_graph_${++registered}`;
    binding.addGraphFunction(name, encodeGraphDef(graph.nodes), graph.inputs, graph.outputs);
    live++;
    return new GraphFunction(backend, binding, name, graph.outputs.length, graph.captures);
  }

  /** Runs the function on `args` (the traced arguments' order, shapes and dtypes) and the captured variables' current values. */
  call(args: readonly tf.Tensor[]): tf.Tensor[] {
    if (this.disposed) throw new Error(`graph function ${this.name} was disposed`);
    const inputs = this.backend.getInputTensorIds([...args, ...this.captures]);
    const metadata = this.backend.binding.executeOp(this.name, [], inputs, this.outputCount);
    return metadata.map((output) => this.backend.createOutputTensor(output));
  }

  /** Whether every captured variable is still the live, registered one (an optimizer's setWeights makes new ones). */
  capturesAlive(): boolean {
    const registered = tf.engine().registeredVariables;
    return this.captures.every((variable) => !variable.isDisposed && registered[variable.name] === variable);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    live--;
    this.binding.removeGraphFunction(this.name);
  }
}
