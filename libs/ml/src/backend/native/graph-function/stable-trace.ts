import type * as tf from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../native-backend';
import { fuseConvolutions } from './fuse-convolutions';
import { encodeGraphDef } from './graph-def';
import { GraphFunction } from './graph-function';
import { traceGraph } from './trace-graph';

/** After this many traces of one signature that disagree, the computation stays eager. */
const MAX_TRACES = 4;

type Entry = { traces: number; previous?: Uint8Array; fn?: GraphFunction; eagerOnly?: string };

/**
 * Graph functions per signature (input shapes, and whatever else the caller puts in the key),
 * registered only once two consecutive traces recorded the same graph. That is how JavaScript
 * that bakes a changing value into the graph is caught: random numbers drawn in JavaScript, a
 * counter, a first call that creates variables. Such a signature keeps running eagerly.
 */
export class StableTraceCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly backend: NativeBackend,
    private readonly capacity = 8,
  ) {}

  /** The graph function for `key`, if its traces have settled. */
  ready(key: string): GraphFunction | undefined {
    const entry = this.entries.get(key);
    if (!entry?.fn) return undefined;
    if (!entry.fn.capturesAlive()) {
      entry.fn.dispose();
      this.entries.delete(key);
      return undefined;
    }
    // Most recently used last, so eviction drops the oldest.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.fn;
  }

  /** Whether the cache still knows `key` (traced, compiled or given up on). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Whether `key` was given up on (why, or undefined). */
  eagerReason(key: string): string | undefined {
    return this.entries.get(key)?.eagerOnly;
  }

  /**
   * Runs `compute` eagerly under a trace for `key` and returns its results; registers the graph
   * when it matches the previous trace of the same key.
   */
  trace(key: string, args: readonly tf.Tensor[], compute: () => tf.Tensor[]): tf.Tensor[] {
    const entry = this.entries.get(key) ?? { traces: 0 };
    // Most recently used last (eviction drops from the front).
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.traces++;
    const traced = traceGraph(this.backend, args, compute);
    if (!('graph' in traced)) {
      entry.eagerOnly = traced.untraceable;
      return traced.results;
    }
    const bytes = encodeGraphDef(traced.graph.nodes);
    if (entry.previous && sameBytes(entry.previous, bytes)) {
      entry.fn = GraphFunction.register(this.backend, fuseConvolutions(traced.graph));
      entry.previous = undefined;
    } else if (entry.traces >= MAX_TRACES) {
      entry.eagerOnly = `its graph changed on each of ${MAX_TRACES} traces (JavaScript-side randomness or state)`;
    } else {
      entry.previous = bytes;
    }
    this.evict();
    return traced.results;
  }

  dispose(): void {
    for (const entry of this.entries.values()) entry.fn?.dispose();
    this.entries.clear();
  }

  /** Keeps at most `capacity` functions and 4× as many signatures in all (each holds a recorded graph), dropping the least recently used. */
  private evict(): void {
    const compiled = [...this.entries].filter(([, entry]) => entry.fn);
    for (const [key, entry] of compiled.slice(0, Math.max(0, compiled.length - this.capacity))) {
      entry.fn?.dispose();
      this.entries.delete(key);
    }
    const excess = this.entries.size - 4 * this.capacity;
    for (const [key, entry] of [...this.entries].filter(([, e]) => !e.fn).slice(0, Math.max(0, excess))) {
      entry.previous = undefined;
      this.entries.delete(key);
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
