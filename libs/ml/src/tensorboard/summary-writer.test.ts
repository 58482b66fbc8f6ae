import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { hostname } from 'node:os';
import { isPipelineError } from '@tsfx/shared';
import { withTempDir } from '@tsfx/shared/testing';
import { describe, expect, it, vi } from 'vitest';
import { createSummaryWriter } from './summary-writer';
import { decodeEventFile, scalarSeries } from './testing/decode-event-file';

/** A clock that starts at a fixed time and moves 1 ms per reading. */
function fakeClock(startMs = 1_700_000_000_000): () => number {
  let ms = startMs;
  return () => ms++;
}

function expectPipelineError(fn: () => unknown, code: string, text: string): void {
  let error: unknown;
  try {
    fn();
  } catch (caught) {
    error = caught;
  }
  expect(isPipelineError(error), String(error)).toBe(true);
  expect(isPipelineError(error) && error.code).toBe(code);
  expect(String((error as Error).message)).toContain(text);
}

describe('createSummaryWriter', () => {
  it('creates the logdir and a file named like TF2’s, starting with the file version', async () => {
    await withTempDir(async (dir) => {
      const logdir = join(dir, 'nested', 'run');
      const writer = await createSummaryWriter(logdir, { now: fakeClock() });
      await writer.close();
      const name = basename(writer.path);
      expect(await readdir(logdir)).toEqual([name]);
      expect(name).toContain('tfevents');
      expect(name).toBe(`events.out.tfevents.1700000000.${hostname()}.${process.pid}.${name.split('.').at(-2)}.v2`);
      const events = await decodeEventFile(writer.path);
      expect(events).toEqual([{ wallTime: 1_700_000_000, step: 0, fileVersion: 'brain.Event:2', values: [] }]);
    });
  });

  it('gives writers opened together distinct files, with the chosen suffix', async () => {
    await withTempDir(async (dir) => {
      const now = () => 1_700_000_000_000;
      const a = await createSummaryWriter(dir, { now });
      const b = await createSummaryWriter(dir, { now, filenameSuffix: '.eval' });
      await Promise.all([a.close(), b.close()]);
      expect(a.path).not.toBe(b.path);
      expect(b.path.endsWith('.eval')).toBe(true);
      expect((await readdir(dir)).sort()).toEqual([basename(a.path), basename(b.path)].sort());
    });
  });

  it('round-trips scalars as float32, NaN and Infinity included', async () => {
    await withTempDir(async (dir) => {
      const writer = await createSummaryWriter(dir, { now: fakeClock() });
      const values = [0.1, 1 / 3, -2.5e-8, 123456.789, 1e39, NaN, Infinity, -Infinity];
      values.forEach((value, step) => writer.scalar('epoch_loss', value, step));
      writer.scalar('epoch_accuracy', 0.75, 2, 1_650_000_000.25);
      await writer.close();

      const events = await decodeEventFile(writer.path);
      const loss = scalarSeries(events, 'epoch_loss');
      expect(loss.map((p) => p.step)).toEqual(values.map((_, step) => step));
      // float32 on disk: 0.1 comes back as Math.fround(0.1), 1e39 overflows to Infinity.
      expect(loss.map((p) => p.value)).toEqual(values.map((v) => Math.fround(v)));
      expect(loss[0]?.value).not.toBe(0.1);
      expect(scalarSeries(events, 'epoch_accuracy')).toEqual([{ step: 2, wallTime: 1_650_000_000.25, value: 0.75 }]);

      const first = events[1]?.values[0];
      expect(first?.pluginName).toBe('scalars');
      // TF2's layout: a DT_FLOAT tensor of shape [], not a simple_value.
      expect(first?.tensor).toMatchObject({ dtype: 1, shape: [] });
      // Wall times come from the clock, in seconds, increasing.
      const times = loss.map((p) => p.wallTime);
      expect(times.every((t, i) => t > 1_700_000_000 && (i === 0 || t > (times[i - 1] as number)))).toBe(true);
    });
  });

  it('round-trips histograms', async () => {
    await withTempDir(async (dir) => {
      const writer = await createSummaryWriter(dir);
      const values = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i));
      writer.histogram('dense/kernel', values, 7);
      await writer.close();

      const [, event] = await decodeEventFile(writer.path);
      expect(event?.step).toBe(7);
      const histogram = event?.values[0]?.histogram;
      expect(event?.values[0]?.tag).toBe('dense/kernel');
      expect(histogram?.num).toBe(1000);
      expect(histogram?.min).toBe(Math.min(...values));
      expect(histogram?.max).toBe(Math.max(...values));
      expect(histogram?.sum).toBeCloseTo(values.reduce((a, b) => a + b, 0), 9);
      expect(histogram?.sumSquares).toBeCloseTo(values.reduce((a, b) => a + b * b, 0), 9);
      expect(histogram?.bucketLimits).toHaveLength(30);
      expect(histogram?.bucketLimits.at(-1)).toBe(histogram?.max);
      expect(histogram?.buckets.reduce((a, b) => a + b, 0)).toBe(1000);
    });
  });

  it('writes hparams as an experiment and a session start for the hparams plugin', async () => {
    await withTempDir(async (dir) => {
      const writer = await createSummaryWriter(dir, { now: () => 1_700_000_000_000 });
      writer.hparams({ learning_rate: 0.001, optimizer: 'adam', augment: false }, ['loss', { group: 'validation', tag: 'epoch_accuracy' }]);
      await writer.close();

      const [, experimentEvent, sessionEvent] = await decodeEventFile(writer.path);
      const experiment = experimentEvent?.values[0];
      expect(experimentEvent?.step).toBe(0);
      expect(experiment?.tag).toBe('_hparams_/experiment');
      expect(experiment?.pluginName).toBe('hparams');
      expect(experiment?.hparams).toEqual({
        version: 0,
        experiment: {
          timeCreatedSecs: 1_700_000_000,
          // api.proto DataType: 1 string, 2 bool, 3 float64.
          hparamInfos: [
            { name: 'augment', type: 2 },
            { name: 'learning_rate', type: 3 },
            { name: 'optimizer', type: 1 },
          ],
          metricInfos: [
            { group: '', tag: 'loss' },
            { group: 'validation', tag: 'epoch_accuracy' },
          ],
        },
      });
      const session = sessionEvent?.values[0];
      expect(session?.tag).toBe('_hparams_/session_start_info');
      expect(session?.hparams?.sessionStartInfo).toEqual({
        hparams: { learning_rate: 0.001, optimizer: 'adam', augment: false },
        groupName: expect.stringMatching(/^[0-9a-f]{64}$/),
        startTimeSecs: 1_700_000_000,
      });
      // The hparams plugin's NULL_TENSOR: an empty float vector.
      expect(session?.tensor).toEqual({ dtype: 1, shape: [0], floats: [], strings: [] });
    });
  });

  it('groups runs with equal hparams, unless told the group', async () => {
    await withTempDir(async (dir) => {
      const groupOf = async (hparams: Record<string, number | string>, groupName?: string) => {
        const writer = await createSummaryWriter(dir);
        writer.hparams(hparams, [], groupName === undefined ? {} : { groupName });
        await writer.close();
        return (await decodeEventFile(writer.path))[2]?.values[0]?.hparams?.sessionStartInfo?.groupName;
      };
      const a = await groupOf({ lr: 0.1, units: 32 });
      expect(await groupOf({ units: 32, lr: 0.1 })).toBe(a);
      expect(await groupOf({ lr: 0.2, units: 32 })).not.toBe(a);
      expect(await groupOf({ lr: 0.1 }, 'trial-7')).toBe('trial-7');
    });
  });

  it('writes a Keras model config as the "keras" string tensor at step 0', async () => {
    await withTempDir(async (dir) => {
      const config = { class_name: 'Sequential', config: { name: 'seq', layers: [{ class_name: 'Dense', config: { units: 3 } }] } };
      const writer = await createSummaryWriter(dir);
      writer.graph(config);
      writer.graph(JSON.stringify(config));
      await writer.close();

      const events = await decodeEventFile(writer.path);
      for (const event of events.slice(1)) {
        const value = event.values[0];
        expect(event.step).toBe(0);
        expect(value?.tag).toBe('keras');
        expect(value?.pluginName).toBe('graph_keras_model');
        expect(new TextDecoder().decode(value?.pluginContent)).toBe('1');
        expect(value?.tensor?.dtype).toBe(7);
        expect(value?.tensor?.shape).toEqual([]);
        expect(JSON.parse(value?.tensor?.strings[0] ?? 'null')).toEqual(config);
      }
      expect(events).toHaveLength(3);
    });
  });

  it('writes queued records once maxQueue is reached, the rest on flush', async () => {
    await withTempDir(async (dir) => {
      const writer = await createSummaryWriter(dir, { maxQueue: 3, flushIntervalMs: 60_000 });
      const headerOnly = (await stat(writer.path)).size;
      writer.scalar('a', 1, 0);
      writer.scalar('a', 2, 1);
      // Let any write that was (wrongly) started land before looking.
      await new Promise((done) => setTimeout(done, 20));
      expect((await stat(writer.path)).size).toBe(headerOnly);
      writer.scalar('a', 3, 2);
      writer.scalar('a', 4, 3);
      await new Promise((done) => setTimeout(done, 20));
      // Three queued records went out; the fourth waits.
      expect(scalarSeries(await decodeEventFile(writer.path), 'a').map((p) => p.value)).toEqual([1, 2, 3]);
      await writer.flush();
      expect(scalarSeries(await decodeEventFile(writer.path), 'a').map((p) => p.value)).toEqual([1, 2, 3, 4]);
      await writer.close();
    });
  });

  it('writes the queue when a record arrives after flushIntervalMs', async () => {
    await withTempDir(async (dir) => {
      let ms = 1_700_000_000_000;
      const writer = await createSummaryWriter(dir, { now: () => ms, maxQueue: 100, flushIntervalMs: 1_000 });
      writer.scalar('a', 1, 0);
      ms += 1_000;
      writer.scalar('a', 2, 1);
      await new Promise((done) => setTimeout(done, 20));
      expect(scalarSeries(await decodeEventFile(writer.path), 'a')).toHaveLength(2);
      await writer.close();
    });
  });

  it('refuses writes after close; a second close or a flush after it is a no-op', async () => {
    await withTempDir(async (dir) => {
      const writer = await createSummaryWriter(dir);
      writer.scalar('a', 1, 0);
      await writer.close();
      await writer.close();
      await writer.flush();
      expect(scalarSeries(await decodeEventFile(writer.path), 'a')).toHaveLength(1);
      expectPipelineError(() => writer.scalar('a', 1, 0), 'CONFLICT', 'closed');
    });
  });

  it('reports a failed write on flush and close, and writes nothing after it', async () => {
    await withTempDir(async (dir) => {
      const writer = await createSummaryWriter(dir, { maxQueue: 1 });
      // Fail the next append of any FileHandle, as a full disk would.
      const probe = await open(join(dir, 'probe'), 'w');
      const fileHandleProto = Object.getPrototypeOf(probe) as { appendFile: (...args: unknown[]) => Promise<void> };
      await probe.close();
      const append = vi.spyOn(fileHandleProto, 'appendFile').mockRejectedValueOnce(new Error('ENOSPC: no space left on device'));
      try {
        writer.scalar('a', 1, 0);
        writer.scalar('a', 2, 1);
        await expect(writer.flush()).rejects.toThrow('ENOSPC');
        await expect(writer.close()).rejects.toThrow('ENOSPC');
      } finally {
        append.mockRestore();
      }
      // The record after the failure was not appended behind a possibly half-written one.
      expect(await decodeEventFile(writer.path)).toHaveLength(1);
    });
  });

  it('rejects bad input with what was expected', async () => {
    await withTempDir(async (dir) => {
      const writer = await createSummaryWriter(dir);
      expectPipelineError(() => writer.scalar('', 1, 0), 'INVALID_INPUT', 'non-empty string');
      expectPipelineError(() => writer.scalar('loss', '1' as unknown as number, 0), 'INVALID_INPUT', 'expected a number');
      expectPipelineError(() => writer.scalar('loss', 1, 1.5), 'INVALID_INPUT', 'safe integer');
      expectPipelineError(() => writer.scalar('loss', 1, 0, NaN), 'INVALID_INPUT', 'wall time');
      expectPipelineError(() => writer.histogram('w', [], 0), 'INVALID_INPUT', 'no values');
      expectPipelineError(() => writer.hparams({}, []), 'INVALID_INPUT', 'at least one hparam');
      expectPipelineError(() => writer.hparams({ lr: NaN }, []), 'INVALID_INPUT', "hparam 'lr'");
      expectPipelineError(() => writer.hparams({ lr: [1] as unknown as number }, []), 'INVALID_INPUT', 'received an array');
      expectPipelineError(() => writer.hparams({ lr: 1 }, [{ tag: '' }]), 'INVALID_INPUT', 'metric 0');
      expectPipelineError(() => writer.graph('{not json'), 'INVALID_INPUT', 'not valid JSON');
      expectPipelineError(() => writer.graph({ layers: [] }), 'INVALID_INPUT', 'class_name');
      await writer.close();
      // Nothing from the refused calls reached the file.
      expect(await decodeEventFile(writer.path)).toHaveLength(1);
    });
  });

  it('rejects a suffix with a path separator', async () => {
    await withTempDir(async (dir) => {
      await expect(createSummaryWriter(dir, { filenameSuffix: '/../x' })).rejects.toThrow('no path separators');
    });
  });
});
