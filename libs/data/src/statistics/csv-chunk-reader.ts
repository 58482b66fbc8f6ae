import type { FileHandle } from 'node:fs/promises';
import { lastRecordEnd } from '../ingest/internal/csv-record-boundary';

/** Whole records in `buffer[0, length)`. */
export type CsvChunk = { buffer: Buffer; length: number };

export type CsvChunkReader = {
  /** The next chunk, or null at the end of the file. */
  next(): Promise<CsvChunk | null>;
  /** Hands a chunk's buffer back for a later chunk, once its records have been parsed. */
  release(buffer: Buffer): void;
};

/**
 * Reads the rest of a CSV file as chunks of whole records of about `chunkSize` bytes, cut by
 * the quote-aware scan of the parser's grammar, so each chunk parses on its own. One chunk is
 * read ahead while the caller works on the previous one (the read runs on libuv's thread pool).
 *
 * Chunks are cut after `chunkSize` bytes whatever buffer they land in, so where the file is cut
 * depends only on the file and the options. A record longer than a chunk makes its chunk grow.
 * Buffers come from a free list fed by {@link CsvChunkReader.release}; they are allocated
 * outside Node's shared pool, so each owns its whole ArrayBuffer and can be transferred.
 *
 * @param handle positioned just after `first`: reads go on from the current file position.
 * @param first bytes read already that start at a record boundary (copied: it may be reused).
 */
export function createCsvChunkReader(
  handle: FileHandle,
  first: Buffer,
  chunkSize: number,
  grammar: { delimiter: number; quote: number },
): CsvChunkReader {
  const free: Buffer[] = [];
  let carry = Buffer.from(first);
  let isEof = false;

  const take = (size: number): Buffer => {
    const index = free.findIndex((buffer) => buffer.length >= size);
    return index >= 0 ? free.splice(index, 1)[0]! : Buffer.allocUnsafeSlow(size);
  };

  const read = async (): Promise<CsvChunk | null> => {
    for (;;) {
      if (isEof && carry.length === 0) return null;
      let target = chunkSize;
      let buffer = take(Math.max(target, carry.length));
      carry.copy(buffer, 0);
      let length = carry.length;
      let cut: number;
      for (;;) {
        while (length < target && !isEof) {
          if (buffer.length < target) {
            const bigger = Buffer.allocUnsafeSlow(target);
            buffer.copy(bigger, 0, 0, length);
            buffer = bigger;
          }
          const { bytesRead } = await handle.read(buffer, length, target - length, null);
          length += bytesRead;
          isEof = bytesRead === 0;
        }
        cut = isEof ? length : lastRecordEnd(buffer, 0, length, grammar.delimiter, grammar.quote);
        if (cut > 0 || isEof) break;
        target *= 2; // one record is longer than a chunk: read on
      }
      carry = Buffer.from(buffer.subarray(cut, length)); // copied: the buffer is handed out
      if (cut > 0) return { buffer, length: cut };
      free.push(buffer);
    }
  };

  let ahead = read();
  // A failed read ahead is reported by the next call to next(); until then it must not go unhandled.
  ahead.catch(() => undefined);
  return {
    async next() {
      const chunk = await ahead;
      if (chunk) {
        ahead = read();
        ahead.catch(() => undefined);
      }
      return chunk;
    },
    release: (buffer) => free.push(buffer),
  };
}
