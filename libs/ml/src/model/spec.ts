import { z } from 'zod';
import { SOURCE_LAYER_TYPES, isBuiltinLayerType, parseBuiltinConfig, type TBuiltinLayerType, type TLayerConfigOf } from './layer-configs';
import { getCustomLayer, knownLayerTypes } from './registry';

/**
 * A Keras-like JSON model spec: a `sequential` stack or a `functional` graph of named layers.
 * Layer `type`s are the built-ins of `layer-configs.ts` or a registered custom layer's
 * `className`; each `config` is checked against its type's schema, so a bad spec fails at parse
 * time with the path of the bad value (`layers.2.config.units: …`), not deep inside tfjs.
 *
 * Models start from their inputs: an `Input` (one model input, from a transformed feature or an
 * explicit shape) or a `DenseFeatures` (one model input per transformed feature, encoded and
 * concatenated; see `dense-features.ts`). A sequential spec that starts with neither takes the
 * only transformed feature as its input.
 */

const ZLayerName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'a layer name is a letter followed by letters, digits, `_`, `.` or `-`');

const ZLayerConfig = z.record(z.string(), z.unknown());

export const ZSequentialLayerSpec = z.strictObject({
  type: z.string().min(1),
  /** Default: Keras's, from the type (`conv2d`, `conv2d_1`, …). */
  name: ZLayerName.optional(),
  config: ZLayerConfig.optional(),
});

export const ZFunctionalLayerSpec = z.strictObject({
  name: ZLayerName,
  type: z.string().min(1),
  config: ZLayerConfig.optional(),
  /** Names of the layers whose outputs this layer takes, in order; none for `Input`/`DenseFeatures`. */
  inbound: z.array(ZLayerName).optional(),
});

const ZSequentialSpec = z.strictObject({
  kind: z.literal('sequential'),
  layers: z.array(ZSequentialLayerSpec).min(1),
});

const ZFunctionalSpec = z.strictObject({
  kind: z.literal('functional'),
  /** The `Input`/`DenseFeatures` layers, in the order their model inputs come. */
  inputs: z.array(ZLayerName).min(1),
  layers: z.array(ZFunctionalLayerSpec).min(1),
  /** The layers whose outputs are the model's outputs. */
  outputs: z.array(ZLayerName).min(1),
});

export const ZModelSpec = z.discriminatedUnion('kind', [ZSequentialSpec, ZFunctionalSpec]).superRefine((spec, ctx) => {
  if (spec.kind === 'sequential') checkSequential(spec, ctx);
  else checkFunctional(spec, ctx);
});
export type TModelSpec = z.infer<typeof ZModelSpec>;
export type TSequentialSpec = z.infer<typeof ZSequentialSpec>;
export type TFunctionalSpec = z.infer<typeof ZFunctionalSpec>;
export type TSequentialLayerSpec = z.infer<typeof ZSequentialLayerSpec>;
export type TFunctionalLayerSpec = z.infer<typeof ZFunctionalLayerSpec>;

type TCtx = z.RefinementCtx;
type TPath = (string | number)[];

/** How many inputs a layer type takes: a count, 'any', or at least two (Concatenate). */
function inputArity(type: string): number | 'any' | 'many' {
  if (SOURCE_LAYER_TYPES.includes(type)) return 0;
  if (type === 'Concatenate') return 'many';
  return getCustomLayer(type)?.inputs ?? 1;
}

/** Checks `type` is known and `config` fits it; false when the type is unknown. */
function checkLayerType(layer: { type: string; config?: Record<string, unknown> | undefined }, path: TPath, ctx: TCtx): boolean {
  if (isBuiltinLayerType(layer.type)) {
    const result = parseBuiltinConfig(layer.type, layer.config);
    if (!result.success) addIssues(result.error, [...path, 'config'], ctx);
    return true;
  }
  const custom = getCustomLayer(layer.type);
  if (!custom) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'type'],
      message: `unknown layer type '${layer.type}'; known types: ${knownLayerTypes()}`,
    });
    return false;
  }
  const schema = custom.configSchema;
  if (schema) {
    const result = schema.safeParse(layer.config ?? {});
    if (!result.success) addIssues(result.error, [...path, 'config'], ctx);
  }
  return true;
}

function addIssues(error: z.ZodError, path: TPath, ctx: TCtx): void {
  for (const issue of error.issues) {
    ctx.addIssue({ code: 'custom', path: [...path, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))], message: issue.message });
  }
}

function checkSequential(spec: TSequentialSpec, ctx: TCtx): void {
  spec.layers.forEach((layer, index) => {
    const path = ['layers', index];
    if (!checkLayerType(layer, path, ctx)) return;
    if (index > 0 && SOURCE_LAYER_TYPES.includes(layer.type)) {
      ctx.addIssue({ code: 'custom', path: [...path, 'type'], message: `${layer.type} can only be the first layer of a sequential spec` });
    }
    const arity = inputArity(layer.type);
    if (arity !== 0 && arity !== 1 && arity !== 'any') {
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'type'],
        message: `${layer.type} takes several inputs, which a sequential spec cannot give it; use a functional spec`,
      });
    }
  });
  checkUniqueNames(
    spec.layers.flatMap((layer, index) => (layer.name === undefined ? [] : [{ name: layer.name, path: ['layers', index, 'name'] }])),
    ctx,
  );
}

function checkUniqueNames(named: { name: string; path: TPath }[], ctx: TCtx): void {
  const seen = new Set<string>();
  for (const { name, path } of named) {
    if (seen.has(name)) ctx.addIssue({ code: 'custom', path, message: `layer name '${name}' is used more than once` });
    seen.add(name);
  }
}

function checkFunctional(spec: TFunctionalSpec, ctx: TCtx): void {
  const byName = new Map(spec.layers.map((layer) => [layer.name, layer]));
  checkUniqueNames(
    spec.layers.map((layer, index) => ({ name: layer.name, path: ['layers', index, 'name'] })),
    ctx,
  );

  spec.layers.forEach((layer, index) => {
    const path = ['layers', index];
    if (!checkLayerType(layer, path, ctx)) return;
    const inbound = layer.inbound ?? [];
    inbound.forEach((source, position) => {
      if (!byName.has(source)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'inbound', position],
          message: `layer '${layer.name}' takes input from '${source}', which is not a layer of this spec`,
        });
      }
    });
    const arity = inputArity(layer.type);
    const fits = arity === 'any' ? inbound.length >= 1 : arity === 'many' ? inbound.length >= 2 : inbound.length === arity;
    if (!fits) {
      const expected = arity === 'any' ? 'at least one' : arity === 'many' ? 'at least two' : arity === 0 ? 'none (it creates model inputs)' : String(arity);
      ctx.addIssue({
        code: 'custom',
        path: [...path, 'inbound'],
        message: `layer '${layer.name}' (${layer.type}) takes ${expected} inbound layer${arity === 1 ? '' : 's'}, got ${inbound.length}`,
      });
    }
    if (SOURCE_LAYER_TYPES.includes(layer.type) && !spec.inputs.includes(layer.name)) {
      ctx.addIssue({ code: 'custom', path: ['inputs'], message: `${layer.type} layer '${layer.name}' is missing from inputs` });
    }
  });

  spec.inputs.forEach((name, index) => {
    const layer = byName.get(name);
    if (!layer || !SOURCE_LAYER_TYPES.includes(layer.type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['inputs', index],
        message: `input '${name}' is not an Input or DenseFeatures layer of this spec`,
      });
    }
  });
  spec.outputs.forEach((name, index) => {
    if (!byName.has(name)) ctx.addIssue({ code: 'custom', path: ['outputs', index], message: `output '${name}' is not a layer of this spec` });
  });

  const cycle = findCycle(spec.layers);
  if (cycle) ctx.addIssue({ code: 'custom', path: ['layers'], message: `the layers form a cycle: ${cycle.join(' → ')}` });
}

/** A cycle through inbound references (names, first repeated at the end), or undefined. */
function findCycle(layers: readonly TFunctionalLayerSpec[]): string[] | undefined {
  const inbound = new Map(layers.map((layer) => [layer.name, layer.inbound ?? []]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const seen = state.get(name);
    if (seen === 'done') return undefined;
    if (seen === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const source of inbound.get(name) ?? []) {
      const cycle = visit(source);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const layer of layers) {
    const cycle = visit(layer.name);
    if (cycle) return cycle;
  }
  return undefined;
}

/** A typed sequential layer entry, for specs written in TypeScript (templates, tests). */
export function layer<K extends TBuiltinLayerType>(type: K, config: TLayerConfigOf<K>, name?: string): TSequentialLayerSpec {
  return { type, config: config as Record<string, unknown>, ...(name === undefined ? {} : { name }) };
}
