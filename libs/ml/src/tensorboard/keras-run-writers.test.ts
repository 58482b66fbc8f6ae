import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { withTempDir } from '@tsfx/shared/testing';
import { describe, expect, it } from 'vitest';
import { createKerasRunWriters } from './keras-run-writers';
import { decodeEventFile, scalarSeries } from './testing/decode-event-file';

describe('createKerasRunWriters', () => {
  it('lays out train and validation runs as Keras does, each with its own event file', async () => {
    await withTempDir(async (logdir) => {
      const runs = await createKerasRunWriters(logdir);
      for (let epoch = 0; epoch < 3; epoch++) {
        runs.train.scalar('epoch_loss', 1 / (epoch + 1), epoch);
        runs.validation.scalar('epoch_loss', 1.5 / (epoch + 1), epoch);
      }
      runs.train.scalar('batch_loss', 0.9, 17);
      await runs.close();

      expect((await readdir(logdir)).sort()).toEqual(['train', 'validation']);
      expect(dirname(runs.train.path)).toBe(join(logdir, 'train'));
      expect(dirname(runs.validation.path)).toBe(join(logdir, 'validation'));
      const train = await decodeEventFile(runs.train.path);
      const validation = await decodeEventFile(runs.validation.path);
      expect(scalarSeries(train, 'epoch_loss').map((p) => p.value)).toEqual([1, 0.5, Math.fround(1 / 3)]);
      expect(scalarSeries(validation, 'epoch_loss').map((p) => p.value)).toEqual([1.5, 0.75, 0.5]);
      expect(scalarSeries(train, 'batch_loss')).toMatchObject([{ step: 17, value: Math.fround(0.9) }]);
      expect(scalarSeries(validation, 'batch_loss')).toEqual([]);
    });
  });
});
