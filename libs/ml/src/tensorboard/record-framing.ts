/**
 * TFRecord framing, the container format of TensorBoard event files
 * (tensorflow/core/lib/io/record_writer.cc). Each record is:
 *   uint64 LE length | uint32 LE masked CRC-32C of the 8 length bytes | data | uint32 LE masked CRC-32C of data
 */
import { crc32c } from '@node-rs/crc32';

const LENGTH_BYTES = 8;
const CRC_BYTES = 4;
/** Bytes a record adds around its data. */
export const RECORD_OVERHEAD_BYTES = LENGTH_BYTES + 2 * CRC_BYTES;

/** Added after the rotation (crc32c.h `kMaskDelta`). */
const MASK_DELTA = 0xa282ead8;

/**
 * TFRecord stores CRCs "masked": a CRC of a string that itself holds CRCs is weak, so the
 * stored value is rotated right by 15 bits and offset (crc32c.h `Mask`). uint32 arithmetic.
 */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

export function maskedCrc32c(bytes: Uint8Array): number {
  return maskCrc(crc32c(bytes));
}

/** Frames one serialized message as a TFRecord. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const record = new Uint8Array(RECORD_OVERHEAD_BYTES + data.length);
  const view = new DataView(record.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(LENGTH_BYTES, maskedCrc32c(record.subarray(0, LENGTH_BYTES)), true);
  record.set(data, LENGTH_BYTES + CRC_BYTES);
  view.setUint32(LENGTH_BYTES + CRC_BYTES + data.length, maskedCrc32c(data), true);
  return record;
}
