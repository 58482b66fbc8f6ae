import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPipelineError } from '@tsfx/shared';
import { readCsvBatches, type CsvReadOptions } from '../ingest/csv';
import { makeTempDir, writeTemp } from '../ingest/internal/test-utils';
import type { BadRow } from '../ingest/types';
import { createStatisticsAccumulator, type StatisticsOptions } from './accumulator';
import { computeCsvStatistics } from './parallel-csv-statistics';
import { createRandom } from './random';
import type { TDatasetStatistics } from './types';

let dir: string;
let cleanup: () => Promise<void>;
let fileCount = 0;
beforeAll(async () => ({ dir, cleanup } = await makeTempDir('tsfx-parallel-stats-')));
afterAll(() => cleanup());

const csvFile = (content: string | Uint8Array) => writeTemp(dir, `f${fileCount++}.csv`, content);

const CITIES = ['Oslo', 'Lima', 'Pune', 'Kyiv', 'Nice'];

/**
 * A CSV with everything the chunk cutter and the parser must agree on: a BOM, CRLF line ends,
 * quoted fields holding delimiters, escaped quotes and line breaks, multibyte text, missing
 * values, blank lines, and bad rows of every kind (the last one an unterminated quote).
 */
function trickyCsv(rows: number, seed: number): Buffer {
  const random = createRandom(seed);
  const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name,amount,city,note\r\n')];
  const text = (value: string) => parts.push(Buffer.from(value));
  for (let i = 0; i < rows; i++) {
    const roll = random();
    const amount = random() < 0.08 ? (random() < 0.5 ? '' : 'NA') : (random() * 1000 - 200).toFixed(2);
    const city = random() < 0.05 ? '' : CITIES[Math.floor(random() * random() * CITIES.length)]!;
    const name = random() < 0.3 ? `"Doe, J${i % 7}"` : random() < 0.2 ? `"say ""hi"" ${i % 3}"` : random() < 0.1 ? 'Zoë' : `n${i % 11}`;
    const note = random() < 0.2 ? `"line one\nline ${i % 4}\r\nend"` : random() < 0.1 ? '"a,b,c"' : '';
    if (i > 10 && roll < 0.02) text(`${i},too,many,fields,here,x\r\n`);
    else if (i > 10 && roll < 0.04) text(`${i},"closed"junk,1,Oslo,\r\n`);
    else if (i > 10 && roll < 0.06) text(`${i},n,abc,Oslo,\r\n`);
    else if (i > 10 && roll < 0.07) {
      text(`${i},`);
      parts.push(Buffer.from([0xff, 0xfe]));
      text(`,1,Oslo,\r\n`);
    } else if (roll < 0.09) text('\r\n');
    else text(`${i},${name},${amount},${city},${note}\r\n`);
  }
  text(`${rows},"never closed,1,Oslo,\r\n`);
  return Buffer.concat(parts);
}

/** The reference: the sequential reader straight into one accumulator. */
async function sequential(path: string, csv: CsvReadOptions, statistics: StatisticsOptions) {
  const accumulator = createStatisticsAccumulator(statistics);
  const badRows: BadRow[] = [];
  for await (const { batch, badRows: bad } of readCsvBatches(path, csv)) {
    accumulator.add(batch);
    badRows.push(...bad);
  }
  return { statistics: accumulator.finish(), badRows };
}

/**
 * Parallel statistics equal sequential ones: counts, extremes, quantiles and value counts
 * exactly (the quantile sketch is given room for every value); mean and standard deviation up
 * to rounding, since partial moments are combined in another order.
 */
function expectSameStatistics(actual: TDatasetStatistics, expected: TDatasetStatistics): void {
  const withoutMoments = (stats: TDatasetStatistics) => ({
    ...stats,
    features: stats.features.map((f) => (f.type === 'number' ? { ...f, numeric: { ...f.numeric, mean: 0, std: 0 } } : f)),
  });
  expect(withoutMoments(actual)).toEqual(withoutMoments(expected));
  expected.features.forEach((feature, i) => {
    const other = actual.features[i]!;
    if (feature.type !== 'number' || other.type !== 'number') return;
    expect(other.numeric.mean).toBeCloseTo(feature.numeric.mean!, 9);
    expect(other.numeric.std).toBeCloseTo(feature.numeric.std!, 9);
  });
}

const EXACT_SKETCH_NO_LABEL: StatisticsOptions = { quantileSketchK: 8192 };
const EXACT_SKETCH: StatisticsOptions = { ...EXACT_SKETCH_NO_LABEL, label: { column: 'city', classNames: CITIES.slice(0, 3) } };

describe('computeCsvStatistics', () => {
  it.each([
    { workers: 2, chunkSize: 64 },
    { workers: 2, chunkSize: 4096 },
    { workers: 3, chunkSize: 300 },
    { workers: 3, chunkSize: 7 },
  ])('on $workers workers with $chunkSize-byte chunks equals the sequential reader', async ({ workers, chunkSize }) => {
    const path = await csvFile(trickyCsv(600, 11));
    const csv = { inferRows: 20 };
    const expected = await sequential(path, csv, EXACT_SKETCH);
    const result = await computeCsvStatistics(path, { ...csv, statistics: EXACT_SKETCH, workers, chunkSize });
    expect(result.workers).toBe(workers);
    expectSameStatistics(result.statistics, expected.statistics);
    expect(result.badRows).toEqual(expected.badRows);
    // Every kind of bad row occurred, with file line numbers (rows span several lines).
    const reasons = new Set(result.badRows.map((row) => row.reason.replace(/[:(].*/, '').trim()));
    expect([...reasons].sort()).toEqual([
      'expected 5 fields, found 6',
      'invalid UTF-8',
      'malformed quoted field',
      'unparsable number in column amount',
      'unterminated quoted field',
    ]);
    expect(result.badRows.at(-1)!.raw).toMatch(/^600,"never closed/);
  });

  it('passes the reading options on: no header, given names and kinds, another delimiter', async () => {
    const random = createRandom(17);
    const lines = Array.from({ length: 400 }, (_, i) => `${i}\t"a\tb ${i % 5}"\t${random() < 0.5 ? '07' : 'x7'}\t${(random() * 10).toFixed(1)}`);
    const path = await csvFile(`${lines.join('\n')}\n`);
    const csv = {
      header: false,
      delimiter: '\t',
      columnNames: ['id', 'text', 'code', 'value'],
      columnTypes: { code: 'string' as const },
      inferRows: 3,
    };
    const expected = await sequential(path, csv, EXACT_SKETCH_NO_LABEL);
    const result = await computeCsvStatistics(path, { ...csv, statistics: EXACT_SKETCH_NO_LABEL, workers: 2, chunkSize: 128 });
    expect(result.workers).toBe(2);
    expect(result.statistics.features.map((f) => [f.name, f.type])).toEqual([
      ['id', 'number'],
      ['text', 'string'],
      ['code', 'string'],
      ['value', 'number'],
    ]);
    expectSameStatistics(result.statistics, expected.statistics);
    expect(result.badRows).toEqual(expected.badRows);
  });

  it('on 1 worker reads on the calling thread, with the same result', async () => {
    const path = await csvFile(trickyCsv(300, 12));
    const expected = await sequential(path, {}, EXACT_SKETCH);
    const result = await computeCsvStatistics(path, { statistics: EXACT_SKETCH, workers: 1, chunkSize: 64 });
    expect(result.workers).toBe(1);
    expect(result.statistics).toEqual(expected.statistics);
    expect(result.badRows).toEqual(expected.badRows);
  });

  it('reads a file smaller than one chunk on the calling thread', async () => {
    const content = trickyCsv(40, 13);
    const path = await csvFile(content);
    const expected = await sequential(path, { inferRows: 5 }, EXACT_SKETCH);
    const result = await computeCsvStatistics(path, { statistics: EXACT_SKETCH, workers: 2, inferRows: 5, chunkSize: content.length });
    expect(result.workers).toBe(1);
    expect(result.statistics).toEqual(expected.statistics);
    expect(result.badRows).toEqual(expected.badRows);
  });

  it('gives the same statistics on every run (chunks do not depend on timing)', async () => {
    const path = await csvFile(trickyCsv(2000, 14));
    const run = () => computeCsvStatistics(path, { workers: 2, chunkSize: 512, inferRows: 10 });
    const [first, second] = [await run(), await run()];
    expect(first.workers).toBe(2);
    expect(second.statistics).toEqual(first.statistics);
  });

  it('gives a header-only file zero examples and its columns, and an empty file nothing', async () => {
    for (const workers of [1, 2]) {
      const headerOnly = await computeCsvStatistics(await csvFile('a,b,c\r\n'), { workers, chunkSize: 4 });
      expect(headerOnly.statistics.numExamples).toBe(0);
      expect(headerOnly.statistics.features.map((f) => [f.name, f.type, f.count])).toEqual([
        ['a', 'string', 0],
        ['b', 'string', 0],
        ['c', 'string', 0],
      ]);
      expect(headerOnly.badRows).toEqual([]);
      const empty = await computeCsvStatistics(await csvFile(''), { workers, chunkSize: 4 });
      expect(empty.statistics).toMatchObject({ numExamples: 0, features: [] });
      expect(empty.badRows).toEqual([]);
    }
  });

  it('reports progress up to the file size', async () => {
    const content = trickyCsv(500, 15);
    const seen: number[] = [];
    const result = await computeCsvStatistics(await csvFile(content), {
      workers: 2,
      chunkSize: 256,
      inferRows: 10,
      onProgress: ({ bytesRead, totalBytes }) => {
        expect(totalBytes).toBe(content.length);
        seen.push(bytesRead);
      },
    });
    expect(result.workers).toBe(2);
    expect(Math.max(...seen)).toBe(content.length);
  });

  it('rejects a bad worker count, a missing file, and stops when cancelled', async () => {
    const path = await csvFile(trickyCsv(200, 16));
    await expect(computeCsvStatistics(path, { workers: 0 })).rejects.toThrow(/positive integer.*received 0/);
    await expect(computeCsvStatistics(`${dir}/missing.csv`)).rejects.toThrow(/CSV file not found/);
    const controller = new AbortController();
    controller.abort();
    const error = await computeCsvStatistics(path, { workers: 2, chunkSize: 64, signal: controller.signal }).catch((e: unknown) => e);
    expect(isPipelineError(error) && error.code).toBe('CANCELED');
  });
});
