import { crc32c } from '@node-rs/crc32';
import { describe, expect, it } from 'vitest';
import { frameRecord, maskCrc, maskedCrc32c, RECORD_OVERHEAD_BYTES } from './record-framing';

const ascii = (text: string) => new TextEncoder().encode(text);
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

describe('TFRecord framing', () => {
  it('uses CRC-32C (Castagnoli), not CRC-32', () => {
    // The standard check value of CRC-32C; CRC-32 of the same input is 0xCBF43926.
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
  });

  it('masks CRCs as TensorFlow does', () => {
    // Known answer from TensorBoard's own masked_crc32c (tensorboard.compat.tensorflow_stub).
    expect(maskedCrc32c(ascii('123456789'))).toBe(0xc78ab0e5);
    expect(maskCrc(0)).toBe(0xa282ead8);
    // uint32 wrap-around: the rotation of 0xffffffff plus the delta overflows 32 bits.
    expect(maskCrc(0xffffffff)).toBe((0xffffffff + 0xa282ead8) % 2 ** 32);
  });

  it('frames a record byte for byte like TensorBoard’s RecordWriter', () => {
    // RecordWriter(io.BytesIO()).write(b"hello") in tensorboard 2.21.
    expect(hex(frameRecord(ascii('hello')))).toBe('0500000000000000eab2043e68656c6c6fbb1f1c19');
  });

  it('adds 16 bytes around the data', () => {
    expect(frameRecord(new Uint8Array(100)).length).toBe(100 + RECORD_OVERHEAD_BYTES);
    expect(RECORD_OVERHEAD_BYTES).toBe(16);
  });
});
