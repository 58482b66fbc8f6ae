import { describe, expect, it } from 'vitest';
import { fuseConvolutions } from './fuse-convolutions';
import { ATTR_KIND, type GraphNode } from './graph-def';
import type { TracedGraph } from './trace-graph';

const T = { name: 'T', type: ATTR_KIND.type, value: 1 };
const node = (name: string, op: string, inputs: string[]): GraphNode => ({ name, op, inputs, attrs: [T] });

function graphOf(nodes: GraphNode[]): TracedGraph {
  return { nodes, inputs: ['x', 'w', 'b'], outputs: ['output0'], captures: [] };
}

describe('fuseConvolutions', () => {
  it('turns Conv2D → BiasAdd → Relu into one _FusedConv2D under the activation\'s name', () => {
    const fused = fuseConvolutions(
      graphOf([node('x', 'Placeholder', []), node('w', 'Placeholder', []), node('b', 'Placeholder', []), node('conv', 'Conv2D', ['x', 'w']), node('bias', 'BiasAdd', ['conv', 'b']), node('relu', 'Relu', ['bias']), node('output0', 'Identity', ['relu'])]),
    );
    expect(fused.nodes.map((n) => n.op)).toEqual(['Placeholder', 'Placeholder', 'Placeholder', '_FusedConv2D', 'Identity']);
    const conv = fused.nodes.find((n) => n.op === '_FusedConv2D')!;
    expect(conv.name).toBe('relu');
    expect(conv.inputs).toEqual(['x', 'w', 'b']);
    expect(conv.attrs).toEqual(expect.arrayContaining([{ name: 'fused_ops', type: ATTR_KIND.string, value: ['BiasAdd', 'Relu'] }, { name: 'num_args', type: ATTR_KIND.int, value: 1 }, { name: 'TArgs', type: ATTR_KIND.type, value: [1] }]));
  });

  it('fuses only the bias when the activation is one the kernel cannot apply', () => {
    const fused = fuseConvolutions(graphOf([node('conv', 'Conv2D', ['x', 'w']), node('bias', 'BiasAdd', ['conv', 'b']), node('act', 'Sigmoid', ['bias']), node('output0', 'Identity', ['act'])]));
    expect(fused.nodes.map((n) => [n.name, n.op])).toEqual([
      ['bias', '_FusedConv2D'],
      ['act', 'Sigmoid'],
      ['output0', 'Identity'],
    ]);
    expect(fused.nodes[0]!.attrs).toContainEqual({ name: 'fused_ops', type: ATTR_KIND.string, value: ['BiasAdd'] });
  });

  it('leaves the chain alone when another op reads the intermediate value (a gradient reading the pre-activation sum)', () => {
    const nodes = [node('conv', 'Conv2D', ['x', 'w']), node('bias', 'BiasAdd', ['conv', 'b']), node('relu', 'Relu', ['bias']), node('grad', 'ReluGrad', ['dy', 'bias']), node('output0', 'Identity', ['relu'])];
    const fused = fuseConvolutions(graphOf(nodes));
    expect(fused.nodes.map((n) => n.op)).toEqual(['_FusedConv2D', 'Relu', 'ReluGrad', 'Identity']);
    expect(fused.nodes[0]!.name).toBe('bias');

    const convRead = [node('conv', 'Conv2D', ['x', 'w']), node('bias', 'BiasAdd', ['conv', 'b']), node('other', 'Square', ['conv']), node('output0', 'Identity', ['bias'])];
    expect(fuseConvolutions(graphOf(convRead)).nodes.map((n) => n.op)).toEqual(['Conv2D', 'BiasAdd', 'Square', 'Identity']);
  });
});
