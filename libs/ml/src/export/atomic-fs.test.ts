import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '@tsfx/shared/testing';
import { writeDirectoryAtomically, writeFileDurably } from './atomic-fs';

describe('writeDirectoryAtomically', () => {
  it('shows the folder only once it is complete, and removes the temp folder when filling fails', async () => {
    await withTempDir(async (root) => {
      const dir = join(root, 'out');
      await expect(
        writeDirectoryAtomically(dir, async (temp) => {
          await writeFileDurably(join(temp, 'a.bin'), new Uint8Array([1, 2, 3]));
          // While filling, only the temp folder exists, under a name no reader takes for the target.
          expect(await readdir(root)).toEqual([expect.stringMatching(/^\.out\.tmp-[0-9a-f]{8}$/)]);
          throw new Error('disk full');
        }),
      ).rejects.toThrow('disk full');
      expect(await readdir(root)).toEqual([]);

      const result = await writeDirectoryAtomically(dir, async (temp) => {
        await writeFileDurably(join(temp, 'a.txt'), 'complete');
        return 'done';
      });
      expect(result).toBe('done');
      expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('complete');
    });
  });

  it('keeps the old folder intact when a replacement fails, and swaps it when one succeeds', async () => {
    await withTempDir(async (root) => {
      const dir = join(root, 'ckpt');
      await writeDirectoryAtomically(dir, (temp) => writeFile(join(temp, 'v'), '1'));
      await expect(writeDirectoryAtomically(dir, (temp) => writeFile(join(temp, 'v'), '2'))).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/already exists; expected a path that does not exist yet \(or overwrite: true\)/),
      });
      await expect(
        writeDirectoryAtomically(dir, async () => Promise.reject(new Error('crash')), { overwrite: true }),
      ).rejects.toThrow('crash');
      expect(await readFile(join(dir, 'v'), 'utf8')).toBe('1');
      await writeDirectoryAtomically(dir, (temp) => writeFile(join(temp, 'v'), '3'), { overwrite: true });
      expect(await readFile(join(dir, 'v'), 'utf8')).toBe('3');
      expect(await readdir(root)).toEqual(['ckpt']);
    });
  });
});
