/**
 * Whether a servable signature describes the model next to it: tensor counts, shapes and dtypes
 * of the transformed inputs and the outputs, and one class label per output unit. Export
 * refuses a mismatch (INVALID_INPUT); reading a servable treats one as corruption.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import type { TServableSignatureInput, TTensorSpec } from './servable-signature';

type SymbolicTensorLike = { shape: (number | null)[]; dtype: string };

function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

function compareTensors(kind: 'input' | 'output', specs: readonly TTensorSpec[], tensors: readonly SymbolicTensorLike[]): string[] {
  if (specs.length !== tensors.length) return [`${kind}s: signature has ${specs.length}, model has ${tensors.length}`];
  const problems: string[] = [];
  specs.forEach((spec, i) => {
    const tensor = tensors[i] as SymbolicTensorLike;
    const same = spec.shape.length === tensor.shape.length && spec.shape.every((d, k) => d === tensor.shape[k]);
    if (!same) problems.push(`${kind} '${spec.name}' shape: signature ${formatShape(spec.shape)}, model ${formatShape(tensor.shape)}`);
    if (spec.dtype !== tensor.dtype) problems.push(`${kind} '${spec.name}' dtype: signature ${spec.dtype}, model ${tensor.dtype}`);
  });
  return problems;
}

/** Every way `signature` disagrees with `model`; empty when they agree. */
export function describeSignatureMismatches(signature: TServableSignatureInput, model: tfl.LayersModel): string[] {
  const problems = [
    ...compareTensors('input', signature.inputs.transformed, model.inputs),
    ...compareTensors('output', signature.outputs, model.outputs),
  ];
  const first = model.outputs[0];
  if (signature.task === 'classification' && first !== undefined) {
    const units = first.shape[first.shape.length - 1];
    const labels = signature.classLabels.length;
    // One sigmoid unit scores the second of two classes.
    const fits = units === labels || (units === 1 && labels === 2);
    if (!fits) problems.push(`class labels: signature has ${labels}, model's first output has ${units ?? 'a variable number of'} units`);
  }
  return problems;
}
