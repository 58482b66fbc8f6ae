/**
 * A minimal protobuf wire-format reader for tests, independent of `@bufbuild/protobuf`:
 * splits a message into its fields; callers interpret them by field number.
 */
export type WireField =
  | { field: number; wireType: 0; varint: bigint }
  | { field: number; wireType: 1; bytes: Uint8Array }
  | { field: number; wireType: 2; bytes: Uint8Array }
  | { field: number; wireType: 5; bytes: Uint8Array };

export function readVarint(bytes: Uint8Array, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let pos = start; pos < bytes.length && shift < 70n; pos++) {
    const byte = bytes[pos] as number;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value, next: pos + 1 };
    shift += 7n;
  }
  throw new Error(`malformed varint at byte ${start}`);
}

export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  const take = (length: number): Uint8Array => {
    if (pos + length > bytes.length) throw new Error(`field runs past the end of its message (byte ${pos}, length ${length})`);
    const slice = bytes.subarray(pos, pos + length);
    pos += length;
    return slice;
  };
  while (pos < bytes.length) {
    const key = readVarint(bytes, pos);
    pos = key.next;
    const field = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    if (field === 0) throw new Error('field number 0 is not valid');
    if (wireType === 0) {
      const varint = readVarint(bytes, pos);
      pos = varint.next;
      fields.push({ field, wireType, varint: varint.value });
    } else if (wireType === 1) {
      fields.push({ field, wireType, bytes: take(8) });
    } else if (wireType === 2) {
      const length = readVarint(bytes, pos);
      pos = length.next;
      fields.push({ field, wireType, bytes: take(Number(length.value)) });
    } else if (wireType === 5) {
      fields.push({ field, wireType, bytes: take(4) });
    } else {
      throw new Error(`unsupported wire type ${wireType} for field ${field}`);
    }
  }
  return fields;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function asDouble(field: WireField): number {
  if (field.wireType !== 1) throw new Error(`field ${field.field}: expected a double (wire type 1), got wire type ${field.wireType}`);
  return view(field.bytes).getFloat64(0, true);
}

export function asInt64(field: WireField): number {
  if (field.wireType !== 0) throw new Error(`field ${field.field}: expected a varint, got wire type ${field.wireType}`);
  return Number(BigInt.asIntN(64, field.varint));
}

export function asBytes(field: WireField): Uint8Array {
  if (field.wireType !== 2) throw new Error(`field ${field.field}: expected length-delimited, got wire type ${field.wireType}`);
  return field.bytes;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function asString(field: WireField): string {
  return utf8.decode(asBytes(field));
}

/** A repeated double, packed (one length-delimited field) or not (one field per value). */
export function asDoubles(field: WireField): number[] {
  if (field.wireType === 1) return [asDouble(field)];
  const bytes = asBytes(field);
  if (bytes.length % 8 !== 0) throw new Error(`field ${field.field}: packed doubles of ${bytes.length} bytes`);
  return Array.from({ length: bytes.length / 8 }, (_, i) => view(bytes).getFloat64(i * 8, true));
}

/** A repeated float, packed or not. */
export function asFloats(field: WireField): number[] {
  if (field.wireType === 5) return [view(field.bytes).getFloat32(0, true)];
  const bytes = asBytes(field);
  if (bytes.length % 4 !== 0) throw new Error(`field ${field.field}: packed floats of ${bytes.length} bytes`);
  return Array.from({ length: bytes.length / 4 }, (_, i) => view(bytes).getFloat32(i * 4, true));
}
