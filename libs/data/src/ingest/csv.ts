import { open } from 'node:fs/promises';
import { PipelineError } from '@tsfx/shared';
import { createChunkWindow, skipBom } from './internal/chunked-file';
import { type CsvParserConfig, createCsvParser } from './internal/csv-parser';
import { fileError, throwIfAborted } from './internal/util';
import { DEFAULT_BATCH_SIZE, type SourceBatch, type SourceReadOptions } from './types';

/** Options of {@link readCsvBatches}. */
export type CsvReadOptions = SourceReadOptions & {
  /** Field separator, one ASCII character. Default `,`. */
  delimiter?: string;
  /** Quote character, one ASCII character. Default `"`. */
  quote?: string;
  /** Whether the first row holds column names. Default true. */
  header?: boolean;
  /** Column names when `header` is false. Default `column_1`, `column_2`, …. */
  columnNames?: string[];
  /** Cell texts read as missing (NaN / null), compared after unquoting. Default `['', 'NA', 'null']`. */
  missingValues?: string[];
  /** Kinds forced per column name; other columns are inferred. */
  columnTypes?: Record<string, 'number' | 'string'>;
  /**
   * Rows read before column kinds are fixed. A column is `number` when every non-missing value
   * among them parses as a finite decimal number, else `string` (also when all are missing).
   * Default 1000.
   */
  inferRows?: number;
  /** Bytes read from disk per step. Default 1 MiB (tests shrink it to cross chunk borders). */
  chunkSize?: number;
};

export const DEFAULT_CSV_MISSING_VALUES: readonly string[] = ['', 'NA', 'null'];
export const DEFAULT_INFER_ROWS = 1000;
/** Bytes read from disk per step by default. */
export const DEFAULT_CSV_CHUNK_SIZE = 1 << 20;

const LF = 10;
const CR = 13;

/**
 * Streams a CSV file as typed column batches. Memory stays flat in the file size: the file is read
 * in chunks and only the current batch (plus the first `inferRows` rows while kinds are inferred)
 * is held.
 *
 * Follows RFC 4180 (quoted fields with `""` escapes, embedded delimiters and newlines, CRLF or LF
 * line ends) and skips a UTF-8 BOM and blank lines. Bad rows are not thrown but returned in
 * `badRows` with their line and reason: wrong field count, invalid UTF-8, an unparsable number in
 * a number column, text after a closing quote, an unterminated quote at end of file.
 *
 * At least one batch is always yielded (possibly empty) so a consumer learns the columns.
 *
 * @example
 * for await (const { batch, badRows } of readCsvBatches('data.csv', { batchSize: 4096 })) { … }
 */
export async function* readCsvBatches(path: string, options: CsvReadOptions = {}): AsyncGenerator<SourceBatch> {
  const parser = createCsvParser(resolveCsvParserConfig(path, options));
  const chunkSize = options.chunkSize ?? DEFAULT_CSV_CHUNK_SIZE;

  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileError(path, 'CSV file', error);
  }
  try {
    const totalBytes = (await handle.stat()).size;
    const window = createChunkWindow(handle, chunkSize);
    let isFirstChunk = true;
    let hasYielded = false;
    for (;;) {
      throwIfAborted(options.signal);
      await window.fill();
      // The BOM test needs 3 bytes (or the whole file, if shorter).
      if (isFirstChunk && (window.end >= 3 || window.isEof)) {
        isFirstChunk = false;
        skipBom(window);
      }
      if (!isFirstChunk) window.start = parser.scan(window.buf, window.start, window.end, window.isEof);
      const isLast = window.isEof || parser.isDone;
      if (isLast) parser.end();
      for (const item of parser.takeFull()) {
        hasYielded = true;
        yield { ...item, bytesRead: window.bytesRead, totalBytes };
      }
      if (isLast) break;
    }
    const rest = parser.takeRest();
    if (rest.batch.length > 0 || rest.badRows.length > 0 || !hasYielded) {
      yield { ...rest, bytesRead: window.bytesRead, totalBytes };
    }
  } finally {
    await handle.close();
  }
}

/** Checks the CSV options and resolves their defaults into a parser configuration. */
export function resolveCsvParserConfig(path: string, options: CsvReadOptions): CsvParserConfig {
  const delimiter = asciiByte(options.delimiter ?? ',', 'delimiter');
  const quote = asciiByte(options.quote ?? '"', 'quote');
  if (delimiter === quote) {
    throw new PipelineError('INVALID_INPUT', 'CSV delimiter and quote must differ', {
      expected: 'two different characters',
      received: `${String.fromCharCode(delimiter)} for both`,
    });
  }
  return {
    path,
    delimiter,
    quote,
    hasHeader: options.header ?? true,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    inferRows: options.inferRows ?? DEFAULT_INFER_ROWS,
    limit: options.limit ?? Number.POSITIVE_INFINITY,
    missingValues: options.missingValues ?? DEFAULT_CSV_MISSING_VALUES,
    ...(options.columnNames ? { columnNames: options.columnNames } : {}),
    ...(options.columnTypes ? { columnTypes: options.columnTypes } : {}),
  };
}

function asciiByte(text: string, what: string): number {
  const code = text.charCodeAt(0);
  if (text.length !== 1 || code >= 0x80 || code === LF || code === CR) {
    throw new PipelineError('INVALID_INPUT', `CSV ${what} must be one ASCII character other than a line break`, {
      expected: 'e.g. "," or "\\t"',
      received: JSON.stringify(text),
    });
  }
  return code;
}
