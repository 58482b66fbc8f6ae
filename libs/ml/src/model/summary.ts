import type { LayersModel, Shape } from '@tensorflow/tfjs-layers';
import { z } from 'zod';

const ZShape = z.array(z.number().int().nonnegative().nullable());

/** One layer of `model.summary()`, as JSON (a model artifact stores it; the CLI prints it). */
export const ZModelSummaryRow = z.object({
  name: z.string(),
  className: z.string(),
  /** `null` is the batch axis (Keras's `None`); a layer with several outputs has one shape each. */
  outputShape: z.union([ZShape, z.array(ZShape)]),
  params: z.number().int().nonnegative(),
  trainable: z.boolean(),
  /** Names of the layers feeding this one (Keras's "Connected to"). */
  inbound: z.array(z.string()).default([]),
});
export type TModelSummaryRow = z.output<typeof ZModelSummaryRow>;

export const ZModelSummary = z.object({
  modelName: z.string().optional(),
  rows: z.array(ZModelSummaryRow),
  totalParams: z.number().int().nonnegative(),
  trainableParams: z.number().int().nonnegative(),
  nonTrainableParams: z.number().int().nonnegative(),
});
export type TModelSummary = z.output<typeof ZModelSummary>;

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, size) => product * size, 1);
}

/** The data of Keras's `model.summary()`: per-layer output shapes and parameter counts. */
export function summarizeModel(model: LayersModel): TModelSummary {
  const rows = model.layers.map(
    (layer): TModelSummaryRow => ({
      name: layer.name,
      className: layer.getClassName(),
      outputShape: copyShape(layer.outputShape),
      params: layer.countParams(),
      trainable: layer.trainable,
      inbound: [...new Set(layer.inboundNodes.flatMap((node) => node.inboundLayers.map((inbound) => inbound.name)))],
    }),
  );
  const trainableParams = model.trainableWeights.reduce((total, weight) => total + sizeOf(weight.shape as number[]), 0);
  const nonTrainableParams = model.nonTrainableWeights.reduce((total, weight) => total + sizeOf(weight.shape as number[]), 0);
  return { modelName: model.name, rows, totalParams: trainableParams + nonTrainableParams, trainableParams, nonTrainableParams };
}

function copyShape(shape: Shape | Shape[]): (number | null)[] | (number | null)[][] {
  return Array.isArray(shape[0]) ? (shape as Shape[]).map((one) => [...one]) : [...(shape as Shape)];
}

function formatShape(shape: (number | null)[] | (number | null)[][]): string {
  const one = (dims: (number | null)[]) => `(${dims.map((dim) => (dim === null ? 'None' : String(dim))).join(', ')}${dims.length === 1 ? ',' : ''})`;
  return Array.isArray(shape[0]) ? `[${(shape as (number | null)[][]).map(one).join(', ')}]` : one(shape as (number | null)[]);
}

const count = (value: number) => value.toLocaleString('en-US');
/** Keras prints sizes assuming float32 weights, in MB of 2^20 bytes. */
const megabytes = (params: number) => `${((params * 4) / 2 ** 20).toFixed(2)} MB`;

/** True when every layer takes the previous row's output (or nothing): no "Connected to" column needed. */
function isChain(rows: readonly TModelSummaryRow[]): boolean {
  return rows.every((row, index) => row.inbound.length === 0 || (row.inbound.length === 1 && row.inbound[0] === rows[index - 1]?.name));
}

/**
 * A Keras-style summary table (`model.summary()`): layer, output shape and parameters, plus a
 * "Connected to" column for graphs that are not a plain chain.
 */
export function formatModelSummary(summary: TModelSummary): string {
  const withInbound = !isChain(summary.rows);
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(withInbound ? ['Connected to'] : [])];
  const cells = summary.rows.map((row) => [
    `${row.name} (${row.className})`,
    formatShape(row.outputShape),
    count(row.params),
    ...(withInbound ? [row.inbound.join(', ')] : []),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => (line[column] ?? '').length)) + 3);
  const line = (values: string[]) => ` ${values.map((value, column) => value.padEnd(widths[column] ?? 0)).join('')}`.trimEnd();
  const width = widths.reduce((total, size) => total + size, 1);
  const rule = (char: string) => char.repeat(width);

  return [
    ...(summary.modelName === undefined ? [] : [`Model: "${summary.modelName}"`]),
    rule('_'),
    line(header),
    rule('='),
    ...cells.map(line),
    rule('='),
    `Total params: ${count(summary.totalParams)} (${megabytes(summary.totalParams)})`,
    `Trainable params: ${count(summary.trainableParams)} (${megabytes(summary.trainableParams)})`,
    `Non-trainable params: ${count(summary.nonTrainableParams)} (${megabytes(summary.nonTrainableParams)})`,
    rule('_'),
  ].join('\n');
}
