import { type CsvColumnKind, type CsvParser, createCsvParser } from '../ingest/internal/csv-parser';
import type { BadRow } from '../ingest/types';
import type { StatisticsAccumulator } from './accumulator';

/** The CSV settings a chunk parser needs: the grammar and conversion, and the fixed columns. */
export type CsvChunkSetup = {
  csv: { path: string; delimiter: number; quote: number; missingValues: readonly string[]; batchSize: number };
  /** Columns fixed from the header and the first rows (by the thread that read them). */
  names: string[];
  kinds: CsvColumnKind[];
};

/** What one chunk held besides its good rows. */
export type CsvChunkResult = {
  /** Lines the chunk spans (its records' line ends plus line feeds inside quoted fields). */
  lines: number;
  /** Good rows added to the statistics with this chunk (rows of a partial batch wait for the next). */
  rows: number;
  /** Bad rows, with lines counted from 1 at the chunk's first line. */
  badRows: BadRow[];
};

export type CsvChunkStatistics = {
  /** Parses `buffer[0, length)`, whole records, and adds its good rows to the accumulator. */
  add(buffer: Buffer, length: number): CsvChunkResult;
  /** Adds the rows still held in a partial batch; call once, after the last chunk. */
  finish(): void;
  /** Time spent parsing, and adding rows to the statistics. */
  timings(): { parseMs: number; statisticsMs: number };
};

/** A parser of the `readCsvBatches` grammar that starts on columns fixed elsewhere. */
export function createTypedCsvParser(setup: CsvChunkSetup): CsvParser {
  const parser = createCsvParser({
    ...setup.csv,
    hasHeader: false,
    inferRows: 1,
    limit: Number.POSITIVE_INFINITY,
  });
  parser.startTyped(setup.names, setup.kinds);
  return parser;
}

/**
 * Statistics over chunks of whole CSV records, in any order, read by `parser` (its column kinds
 * fixed). Used by each statistics worker thread and by the calling thread for its own share of
 * the chunks, which goes on with the parser that read the header: V8 optimises a parser best
 * while it is the only one in its thread (its closures then get context-specialised code).
 */
export function createCsvChunkStatistics(parser: CsvParser, accumulator: StatisticsAccumulator): CsvChunkStatistics {
  let parseMs = 0;
  let statisticsMs = 0;
  return {
    add(buffer, length) {
      const start = performance.now();
      let statsTime = 0;
      // Lines restart at 1 per chunk: only the caller knows where in the file a chunk starts.
      parser.line = 1;
      parser.scan(buffer, 0, length, true);
      const badRows: BadRow[] = [];
      let rows = 0;
      for (const parsed of parser.takeFull()) {
        badRows.push(...parsed.badRows);
        rows += parsed.batch.length;
        const before = performance.now();
        accumulator.add(parsed.batch);
        statsTime += performance.now() - before;
        // The accumulator keeps no array of the batch: the next batch can reuse them.
        parser.recycle(parsed);
      }
      badRows.push(...parser.takeBadRows());
      statisticsMs += statsTime;
      parseMs += performance.now() - start - statsTime;
      return { lines: parser.line - 1, rows, badRows };
    },
    finish() {
      const before = performance.now();
      accumulator.add(parser.takeRest().batch);
      statisticsMs += performance.now() - before;
    },
    timings: () => ({ parseMs, statisticsMs }),
  };
}
