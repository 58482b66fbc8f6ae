import { isUtf8 } from 'node:buffer';
import { PipelineError } from '@tsfx/shared';
import type { TableBatch } from '../../batch';
import { type BadRow, truncateRaw } from '../types';
import { type BatchBuilder, type ColumnSpec, createBatchBuilder, recycleBatch, takeBatch } from './batch-builder';
import { parseNumberBytes, parseNumberString } from './parse-number';
import { quoteValue } from './util';

/** Kind of a CSV column once inferred or forced. */
export type CsvColumnKind = 'number' | 'string';

/** Settings of {@link createCsvParser}: the CSV read options, resolved and checked. */
export type CsvParserConfig = {
  /** The file, for error messages. */
  path: string;
  /** Field separator byte. */
  delimiter: number;
  /** Quote byte. */
  quote: number;
  hasHeader: boolean;
  batchSize: number;
  inferRows: number;
  /** Source rows (good and bad) after which scanning stops. */
  limit: number;
  missingValues: readonly string[];
  columnNames?: string[];
  columnTypes?: Record<string, CsvColumnKind>;
  /**
   * Stop scanning right after the column kinds are fixed (until {@link CsvParser.resume}), so a
   * caller can hand the rest of the file to other parsers started with
   * {@link CsvParser.startTyped}.
   */
  stopWhenTyped?: boolean;
};

/** Good rows as column batches, with the source line of each and the bad rows met before them. */
export type ParsedBatch = { batch: TableBatch; lines: Float64Array; badRows: BadRow[] };

export type CsvParser = {
  /**
   * Scans complete rows in `buf[start, end)` and returns where the first incomplete row starts
   * (scan it again once more bytes arrived). With `isEof` the end of the buffer ends the last row.
   */
  scan(buf: Buffer, start: number, end: number, isEof: boolean): number;
  /** True once `limit` rows were seen, or the kinds are fixed under `stopWhenTyped`. */
  readonly isDone: boolean;
  /** Scans on after a `stopWhenTyped` stop. */
  resume(): void;
  /** Whether the column kinds are fixed (rows then go straight into batches). */
  readonly isTyped: boolean;
  /** 1-based line the next row starts on; settable for a parser given a chunk from mid-file. */
  line: number;
  /**
   * End of input: fixes the kinds from the rows held back for inference, or, for a header-only
   * or empty file, from the header alone (string unless forced) so the columns still show.
   */
  end(): void;
  /** Batches that filled up since the last call. */
  takeFull(): ParsedBatch[];
  /** The rows since the last full batch (possibly none), with the bad rows met since. */
  takeRest(): ParsedBatch;
  /** Bad rows met since the last full batch, removed so no batch reports them again. */
  takeBadRows(): BadRow[];
  /** Reuses the arrays of a batch from {@link takeFull} that nothing holds any more. */
  recycle(parsed: ParsedBatch): void;
  /** Column names and kinds; empty until the kinds are fixed. */
  columns(): { names: string[]; kinds: CsvColumnKind[] };
  /** Skips the header and inference: rows are parsed with these columns from the start. */
  startTyped(names: string[], kinds: CsvColumnKind[]): void;
};

const LF = 10;
const CR = 13;
const HIGH = 0x80;
const FLAG_QUOTED = 1;
const FLAG_ESCAPED = 2;

type Phase = 'header' | 'infer' | 'typed';

/** Share of unparsable values a sampled column may have and still be inferred as numbers. */
const MAX_UNPARSABLE_NUMBER_FRACTION = 0.01;

/** A row held back while column kinds are inferred: cell texts (null = missing). */
type PendingRow = { line: number; cells: (string | null)[]; raw: string };

/**
 * The CSV grammar and row conversion behind `readCsvBatches`, independent of where the bytes
 * come from: a streaming reader feeds it a file window by window, a parallel reader feeds one
 * per worker with whole-record chunks.
 *
 * Follows RFC 4180 (quoted fields with `""` escapes, embedded delimiters and newlines, CRLF or LF
 * line ends) and skips blank lines (a UTF-8 BOM is the caller's to skip). Bad rows are collected
 * with their line and reason: wrong field count, invalid UTF-8, an unparsable number in a number
 * column, text after a closing quote, an unterminated quote at end of input.
 */
export function createCsvParser(config: CsvParserConfig): CsvParser {
  const { path, delimiter, quote, batchSize, inferRows, limit } = config;
  const quoteText = String.fromCharCode(quote);
  const escapedQuoteText = quoteText + quoteText;
  const missing = createMissingMatcher(config.missingValues);

  let phase: Phase = config.hasHeader ? 'header' : 'infer';
  let names: string[] = [];
  let kinds: CsvColumnKind[] = [];
  let builder: BatchBuilder | undefined;
  let kindCodes = new Uint8Array(0); // 0 number, 1 string, per column
  let internTables: InternTable[] = [];
  const pending: PendingRow[] = [];
  let badRows: BadRow[] = [];
  let ready: ParsedBatch[] = [];
  let rowsSeen = 0;
  let isDone = false;
  let line = 1;

  let fieldCap = 64;
  let fStart = new Int32Array(fieldCap);
  let fEnd = new Int32Array(fieldCap);
  let fFlag = new Uint8Array(fieldCap);

  const cellText = (buf: Buffer, j: number, hasHigh: boolean): string => {
    const s = fStart[j]!;
    const e = fEnd[j]!;
    const flag = fFlag[j]!;
    const text = hasHigh ? utf8Slice(buf, s, e) : latin1Slice(buf, s, e);
    return flag & FLAG_ESCAPED ? text.replaceAll(escapedQuoteText, quoteText) : text;
  };

  const bad = (rowLine: number, reason: string, buf: Buffer, start: number, end: number) => {
    badRows.push({ line: rowLine, reason, raw: truncateRaw(buf.toString('utf8', start, end)) });
  };

  const flushIfFull = () => {
    if (builder && builder.length === builder.capacity) {
      ready.push({ ...takeBatch(builder), badRows });
      badRows = [];
    }
  };

  const fixColumns = (fixed: CsvColumnKind[]) => {
    kinds = fixed;
    const specs: ColumnSpec[] = names.map((name, j) => ({ name, kind: fixed[j]! }));
    internTables = names.map(() => createInternTable());
    kindCodes = Uint8Array.from(fixed, (k) => (k === 'number' ? 0 : 1));
    builder = createBatchBuilder(specs, batchSize);
    phase = 'typed';
  };

  /** Kinds from the held-back rows, then replays them into the builder. */
  const finishInference = () => {
    const forced = config.columnTypes ?? {};
    const inferred = names.map((name, j): CsvColumnKind => {
      const given = forced[name];
      if (given) return given;
      let numeric = 0;
      let other = 0;
      for (const row of pending) {
        const cell = row.cells[j];
        if (cell === null || cell === undefined) continue;
        if (Number.isNaN(parseNumberString(cell))) other += 1;
        else numeric += 1;
      }
      // A column of numbers with a stray word in it ("forty") is a number column with a bad
      // row, not a text column: up to 1% of the sampled values may fail to parse, and those
      // rows are quarantined with the reason.
      return numeric > 0 && other <= numeric * MAX_UNPARSABLE_NUMBER_FRACTION ? 'number' : 'string';
    });
    fixColumns(inferred);
    const b = builder!;
    for (const row of pending) {
      const i = b.length;
      let reason: string | undefined;
      for (let j = 0; j < names.length; j++) {
        const cell = row.cells[j] ?? null;
        if (kindCodes[j] === 0) {
          const value = cell === null ? NaN : parseNumberString(cell);
          if (cell !== null && Number.isNaN(value)) {
            reason = `unparsable number in column ${names[j]}: ${quoteValue(cell)}`;
            break;
          }
          b.numbers[j]![i] = value;
        } else {
          b.strings[j]![i] = cell;
        }
      }
      if (reason !== undefined) {
        badRows.push({ line: row.line, reason, raw: truncateRaw(row.raw) });
        continue;
      }
      b.lines[i] = row.line;
      b.length = i + 1;
      flushIfFull();
    }
    pending.length = 0;
    if (config.stopWhenTyped) isDone = true;
  };

  const checkUnknownTypes = () => {
    for (const name of Object.keys(config.columnTypes ?? {})) {
      if (!names.includes(name)) {
        throw new PipelineError('INVALID_INPUT', `columnTypes names a column the CSV does not have: ${name}`, {
          expected: `one of ${names.join(', ')}`,
          received: name,
        });
      }
    }
  };

  const setNames = (given: string[]) => {
    const seen = new Set<string>();
    names = given.map((raw, j) => {
      const name = raw.trim() === '' ? `column_${j + 1}` : raw;
      if (seen.has(name)) {
        throw new PipelineError('INVALID_INPUT', `duplicate column name in CSV header of ${path}: ${name}`, {
          expected: 'unique column names',
          received: given.join(', '),
        });
      }
      seen.add(name);
      return name;
    });
    checkUnknownTypes();
  };

  /**
   * Called by the scanner for each row: fields are `fStart/fEnd/fFlag[0, nFields)` in `buf`.
   * `hasHigh` says a byte >= 0x80 occurred (UTF-8 must then be checked); `isMalformed` says text
   * followed a closing quote; `isUnterminated` says the input ended inside quotes.
   */
  const onRow = (
    buf: Buffer,
    rowStart: number,
    rowEnd: number,
    nFields: number,
    rowLine: number,
    hasHigh: boolean,
    isMalformed: boolean,
    isUnterminated: boolean,
  ) => {
    // A blank line is no row (as in pandas); it still counts as a line.
    if (nFields === 1 && rowEnd === rowStart && fFlag[0] === 0) return;
    if (phase === 'header') {
      if (hasHigh && !isUtf8(buf.subarray(rowStart, rowEnd))) {
        throw new PipelineError('INVALID_INPUT', `CSV header of ${path} is not valid UTF-8`, {
          expected: 'UTF-8 text',
          received: 'invalid byte sequence',
        });
      }
      const header: string[] = [];
      for (let j = 0; j < Math.min(nFields, fieldCap); j++) header.push(cellText(buf, j, hasHigh));
      setNames(header);
      phase = 'infer';
      return;
    }
    rowsSeen++;
    if (rowsSeen >= limit) isDone = true;
    if (names.length === 0 && phase === 'infer') {
      // No header: the first row fixes the column count.
      setNames(config.columnNames ?? Array.from({ length: nFields }, (_, j) => `column_${j + 1}`));
    }
    if (isUnterminated) {
      bad(rowLine, `unterminated quoted field (the file ends inside ${quoteText}…)`, buf, rowStart, rowEnd);
      return;
    }
    if (isMalformed) {
      bad(rowLine, `malformed quoted field: text after a closing ${quoteText}`, buf, rowStart, rowEnd);
      return;
    }
    if (nFields !== names.length) {
      bad(rowLine, `expected ${names.length} fields, found ${nFields}`, buf, rowStart, rowEnd);
      return;
    }
    if (hasHigh && !isUtf8(buf.subarray(rowStart, rowEnd))) {
      bad(rowLine, 'invalid UTF-8', buf, rowStart, rowEnd);
      return;
    }
    if (phase === 'infer') {
      const cells: (string | null)[] = new Array<string | null>(nFields);
      for (let j = 0; j < nFields; j++) {
        cells[j] = missing(buf, fStart[j]!, fEnd[j]!) ? null : cellText(buf, j, hasHigh);
      }
      pending.push({ line: rowLine, cells, raw: buf.toString('utf8', rowStart, rowEnd) });
      if (pending.length >= inferRows) finishInference();
      return;
    }
    // Typed hot path: convert cells straight from bytes into the column buffers.
    const b = builder!;
    const i = b.length;
    for (let j = 0; j < nFields; j++) {
      const s = fStart[j]!;
      const e = fEnd[j]!;
      if (kindCodes[j] === 0) {
        let value: number;
        if (missing(buf, s, e)) {
          value = NaN;
        } else {
          value = fFlag[j]! & FLAG_ESCAPED ? parseNumberString(cellText(buf, j, hasHigh)) : parseNumberBytes(buf, s, e);
          if (Number.isNaN(value)) {
            bad(rowLine, `unparsable number in column ${names[j]}: ${quoteValue(cellText(buf, j, hasHigh))}`, buf, rowStart, rowEnd);
            return;
          }
        }
        b.numbers[j]![i] = value;
      } else if (missing(buf, s, e)) {
        b.strings[j]![i] = null;
      } else if (hasHigh || fFlag[j]! & FLAG_ESCAPED || e - s > INTERN_MAX_LENGTH) {
        b.strings[j]![i] = cellText(buf, j, hasHigh);
      } else {
        b.strings[j]![i] = internAscii(internTables[j]!, buf, s, e);
      }
    }
    b.lines[i] = rowLine;
    b.length = i + 1;
    flushIfFull();
  };

  /** Kept as one tight loop over bytes: this is the ingest and statistics hot path. */
  const scan = (buf: Buffer, startPos: number, end: number, isEof: boolean): number => {
    let pos = startPos;
    while (pos < end && !isDone) {
      const rowStart = pos;
      let p = pos;
      let nFields = 0;
      let hasHigh = false;
      let isMalformed = false;
      let isUnterminated = false;
      let newlines = 0;
      let rowEnd: number;
      let next: number;
      for (;;) {
        let fs: number;
        let fe: number;
        let flag = 0;
        if (p < end && buf[p] === quote) {
          p++;
          fs = p;
          flag = FLAG_QUOTED;
          for (;;) {
            if (p >= end) {
              if (!isEof) return rowStart;
              isUnterminated = true;
              break;
            }
            const c = buf[p]!;
            if (c === quote) {
              if (p + 1 >= end && !isEof) return rowStart;
              if (p + 1 < end && buf[p + 1] === quote) {
                flag |= FLAG_ESCAPED;
                p += 2;
                continue;
              }
              break;
            }
            if (c === LF) newlines++;
            else if (c >= HIGH) hasHigh = true;
            p++;
          }
          fe = p;
          if (!isUnterminated) {
            p++; // closing quote
            // RFC 4180 allows only a delimiter or a line end after a closing quote.
            while (p < end) {
              const c = buf[p]!;
              if (c === delimiter || c === LF || c === CR) break;
              isMalformed = true;
              if (c >= HIGH) hasHigh = true;
              p++;
            }
          }
        } else {
          fs = p;
          while (p < end) {
            const c = buf[p]!;
            if (c === delimiter || c === LF || c === CR) break;
            if (c >= HIGH) hasHigh = true;
            p++;
          }
          fe = p;
        }
        if (nFields >= fieldCap) {
          fieldCap *= 2;
          fStart = grow32(fStart, fieldCap);
          fEnd = grow32(fEnd, fieldCap);
          const flags = new Uint8Array(fieldCap);
          flags.set(fFlag);
          fFlag = flags;
        }
        fStart[nFields] = fs;
        fEnd[nFields] = fe;
        fFlag[nFields] = flag;
        nFields++;
        if (p >= end) {
          if (!isEof) return rowStart;
          rowEnd = p;
          next = p;
          break;
        }
        const c = buf[p]!;
        if (c === delimiter) {
          p++;
          continue;
        }
        rowEnd = p;
        if (c === CR) {
          if (p + 1 >= end) {
            if (!isEof) return rowStart;
            next = p + 1;
          } else {
            next = buf[p + 1] === LF ? p + 2 : p + 1;
          }
        } else {
          next = p + 1;
        }
        break;
      }
      onRow(buf, rowStart, rowEnd, nFields, line, hasHigh, isMalformed, isUnterminated);
      line += 1 + newlines;
      pos = next;
    }
    return pos;
  };

  return {
    scan,
    get isDone() {
      return isDone;
    },
    resume() {
      if (phase === 'typed' && rowsSeen < limit) isDone = false;
    },
    get isTyped() {
      return phase === 'typed';
    },
    get line() {
      return line;
    },
    set line(value: number) {
      line = value;
    },
    end() {
      if (phase === 'infer' && names.length > 0) finishInference();
      if (phase !== 'typed') {
        if (names.length === 0 && config.columnNames) setNames(config.columnNames);
        fixColumns(names.map((name) => config.columnTypes?.[name] ?? 'string'));
      }
    },
    takeFull() {
      const full = ready;
      ready = [];
      return full;
    },
    takeRest() {
      if (!builder) {
        throw new PipelineError('INTERNAL', 'CSV parser asked for rows before its column kinds were fixed');
      }
      const rest = { ...takeBatch(builder), badRows };
      badRows = [];
      return rest;
    },
    takeBadRows() {
      const taken = badRows;
      badRows = [];
      return taken;
    },
    recycle(parsed) {
      if (builder) recycleBatch(builder, parsed.batch, parsed.lines);
    },
    columns: () => ({ names: phase === 'typed' ? [...names] : [], kinds: [...kinds] }),
    startTyped(given, fixed) {
      if (given.length !== fixed.length) {
        throw new PipelineError('INVALID_INPUT', 'CSV columns and kinds differ in number', {
          expected: `${given.length} kinds`,
          received: `${fixed.length}`,
        });
      }
      names = [...given];
      fixColumns([...fixed]);
    },
  };
}

function grow32(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(size);
  bigger.set(array);
  return bigger;
}

/**
 * Builds a byte-level test for missing-value tokens: compares by length first, so the common case
 * (a cell whose length matches no token) costs one array lookup.
 */
function createMissingMatcher(tokens: readonly string[]): (buf: Buffer, start: number, end: number) => boolean {
  const byLength: Uint8Array[][] = [];
  for (const token of tokens) {
    const bytes = Buffer.from(token, 'utf8');
    (byLength[bytes.length] ??= []).push(bytes);
  }
  const maxLength = byLength.length - 1;
  return (buf, start, end) => {
    const length = end - start;
    if (length > maxLength) return false;
    const candidates = byLength[length];
    if (candidates === undefined) return false;
    outer: for (const token of candidates) {
      for (let k = 0; k < length; k++) if (buf[start + k] !== token[k]) continue outer;
      return true;
    }
    return false;
  };
}

/**
 * Node's Buffer has undocumented `latin1Slice`/`utf8Slice` (what `toString` calls after checking
 * its arguments). Calling them directly is measurably faster per cell; fall back to `toString`
 * should a Node version drop them.
 */
type SliceBuffer = Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string };
const hasFastSlices =
  typeof (Buffer.prototype as Partial<SliceBuffer>).latin1Slice === 'function' &&
  typeof (Buffer.prototype as Partial<SliceBuffer>).utf8Slice === 'function';

function latin1Slice(buf: Buffer, start: number, end: number): string {
  return hasFastSlices ? (buf as SliceBuffer).latin1Slice(start, end) : buf.toString('latin1', start, end);
}

function utf8Slice(buf: Buffer, start: number, end: number): string {
  return hasFastSlices ? (buf as SliceBuffer).utf8Slice(start, end) : buf.toString('utf8', start, end);
}

/** Longest ASCII cell the intern tables cache; longer text is rarely repeated. */
const INTERN_MAX_LENGTH = 32;
const INTERN_SLOTS = 4096;

/**
 * A small open-addressing cache from cell bytes to the string made from them, per string column.
 * Categorical columns repeat a few values millions of times; reusing the string skips a decode
 * and an allocation per cell (about a fifth of the parse time on categorical data). Full tables
 * stop inserting, so high-cardinality columns cost one failed probe.
 */
type InternTable = { hashes: Int32Array; values: (string | undefined)[]; size: number };

function createInternTable(): InternTable {
  return { hashes: new Int32Array(INTERN_SLOTS), values: new Array<string | undefined>(INTERN_SLOTS), size: 0 };
}

function internAscii(table: InternTable, buf: Buffer, start: number, end: number): string {
  let h = 0x811c9dc5;
  for (let k = start; k < end; k++) h = Math.imul(h ^ buf[k]!, 0x01000193);
  const length = end - start;
  let slot = h & (INTERN_SLOTS - 1);
  for (let probe = 0; probe < 8; probe++) {
    const value = table.values[slot];
    if (value === undefined) {
      const text = latin1Slice(buf, start, end);
      if (table.size < INTERN_SLOTS / 2) {
        table.values[slot] = text;
        table.hashes[slot] = h;
        table.size++;
      }
      return text;
    }
    if (table.hashes[slot] === h && value.length === length) {
      let isSame = true;
      for (let k = 0; k < length; k++) {
        if (value.charCodeAt(k) !== buf[start + k]) {
          isSame = false;
          break;
        }
      }
      if (isSame) return value;
    }
    slot = (slot + 1) & (INTERN_SLOTS - 1);
  }
  return latin1Slice(buf, start, end);
}
