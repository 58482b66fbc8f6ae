/**
 * A reference CRC-32C (Castagnoli) for tests, written from the polynomial alone so that it
 * shares nothing with the writer's native `@node-rs/crc32`: reflected, polynomial 0x82F63B78,
 * initial value and final XOR 0xFFFFFFFF, one table lookup per byte.
 */
const CASTAGNOLI_REFLECTED = 0x82f63b78;

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ CASTAGNOLI_REFLECTED : crc >>> 1;
    table[byte] = crc >>> 0;
  }
  return table;
})();

export function crc32cReference(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's CRC mask: rotate right by 15 bits, add 0xa282ead8 (tensorflow/core/lib/hash/crc32c.h). */
export function maskCrc32cReference(crc: number): number {
  const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
  return (rotated + 0xa282ead8) % 0x1_0000_0000;
}
