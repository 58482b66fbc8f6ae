import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTempDir } from '@tsfx/shared/testing';
import { describe, expect, it } from 'vitest';
import { createSummaryWriter } from '../summary-writer';
import { crc32cReference, maskCrc32cReference } from './crc32c-reference';
import { decodeEventBytes, decodeEventFile } from './decode-event-file';

const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16));

/**
 * An event file written by TensorBoard 2.21's own Python EventFileWriter: the file version (with
 * TensorBoard's source_metadata, which we skip), then a scalar (float_val 0.25, step 3) and an
 * event (step -4) with a HistogramProto and a legacy simple_value.
 */
const TENSORBOARD_WRITTEN_FILE = fromHex(
  '4800000000000000fe92489d09986c77f578c1da411a0d627261696e2e4576656e743a32522e0a2c74656e736f72626f6172642e73756d6d61' +
    '72792e7772697465722e6576656e745f66696c655f7772697465725eeab9412e00000000000000c5cb57fa0900002040fc54d94110032a21' +
    '0a1f0a046c6f7373420a080112002a040000803e4a0b0a090a077363616c617273e2cc36d17a00000000000000138986780900005040fc54' +
    'd94110fcffffffffffffffff012a640a560a01772a5109000000000000f0bf110000000000000040190000000000000840210000000000' +
    '00f03f2900000000000014403210000000000000000000000000000000403a10000000000000f03f00000000000000400a0a0a036f6c6415' +
    '0000c03fca5cfddc',
);

describe('reference CRC-32C', () => {
  it('matches the standard check value and TensorFlow’s mask', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc32cReference(check)).toBe(0xe3069283);
    expect(maskCrc32cReference(crc32cReference(check))).toBe(0xc78ab0e5);
    expect(crc32cReference(new Uint8Array(0))).toBe(0);
    // RFC 3720 B.4: 32 bytes of zeros.
    expect(crc32cReference(new Uint8Array(32))).toBe(0x8a9136aa);
  });
});

describe('decodeEventBytes', () => {
  it('reads a file that TensorBoard itself wrote', () => {
    const [header, scalar, histogram] = decodeEventBytes(TENSORBOARD_WRITTEN_FILE);
    expect(header?.fileVersion).toBe('brain.Event:2');
    expect(scalar).toMatchObject({ wallTime: 1_700_000_000.5, step: 3 });
    expect(scalar?.values[0]).toMatchObject({ tag: 'loss', pluginName: 'scalars', scalar: 0.25 });
    expect(histogram).toMatchObject({ wallTime: 1_700_000_001.25, step: -4 });
    expect(histogram?.values[0]?.histogram).toEqual({ min: -1, max: 2, num: 3, sum: 1, sumSquares: 5, bucketLimits: [0, 2], buckets: [1, 2] });
    expect(histogram?.values[1]).toMatchObject({ tag: 'old', scalar: 1.5 });
  });

  it('reports a flipped byte in the data as a data CRC mismatch', () => {
    const bytes = TENSORBOARD_WRITTEN_FILE.slice();
    // Inside record 1's data: its 12-byte header starts at byte 88 (72 data + 16 framing of record 0).
    bytes[88 + 12 + 5] = (bytes[88 + 12 + 5] as number) ^ 0x01;
    expect(() => decodeEventBytes(bytes)).toThrow(/data CRC mismatch in record 1 at byte 88/);
  });

  it('reports a flipped length byte as a length CRC mismatch', () => {
    const bytes = TENSORBOARD_WRITTEN_FILE.slice();
    bytes[88] = (bytes[88] as number) ^ 0x40;
    expect(() => decodeEventBytes(bytes)).toThrow(/length CRC mismatch in record 1/);
  });

  it('reports a truncated file', () => {
    expect(() => decodeEventBytes(TENSORBOARD_WRITTEN_FILE.subarray(0, TENSORBOARD_WRITTEN_FILE.length - 1))).toThrow(/truncated/);
    expect(() => decodeEventBytes(TENSORBOARD_WRITTEN_FILE.subarray(0, 95))).toThrow(/truncated in its header/);
  });

  it('catches a corrupted byte in a file our writer wrote', async () => {
    await withTempDir(async (dir) => {
      const writer = await createSummaryWriter(dir);
      writer.scalar('epoch_loss', 0.5, 1);
      await writer.close();
      const intact = await decodeEventFile(writer.path);
      expect(intact).toHaveLength(2);

      const bytes = new Uint8Array(await readFile(writer.path));
      // The float32 0.5 is the last 4 data bytes before the final CRC: 00 00 00 3f.
      expect(Array.from(bytes.subarray(bytes.length - 8, bytes.length - 4))).toEqual([0, 0, 0, 0x3f]);
      bytes[bytes.length - 5] = 0x40; // 0.5 → 2.0
      const corrupted = join(dir, 'corrupted.tfevents');
      await writeFile(corrupted, bytes);
      await expect(decodeEventFile(corrupted)).rejects.toThrow(/data CRC mismatch in record 1/);
    });
  });
});
