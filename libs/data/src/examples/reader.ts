import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { PipelineError } from '@tsfx/shared';
import { DataType, type Field, FixedSizeList, RecordBatchReader, type Schema, Utf8 } from 'apache-arrow';
import type { TableBatch } from '../batch';
import { concatBatches, rebatch } from './batch-ops';
import { NULLS_ARE_NAN_KEY, fromRecordBatch } from './internal/arrow-convert';
import { type TExamplesColumn, type TExamplesMetadata, examplesSplitPath, readExamplesMetadata } from './metadata';

/** Options of {@link readExamples}. */
export type ReadExamplesOptions = {
  /** Rows per yielded batch. Default: the record batches as written (8192 rows from ingest). */
  batchSize?: number;
  /** Metadata already read with {@link readExamplesMetadata}, to skip reading it again. */
  metadata?: TExamplesMetadata;
};

function corrupt(path: string, message: string, expected: string, received: string, cause?: unknown): PipelineError {
  return new PipelineError('ARTIFACT_CORRUPT', `${message}: ${path}`, { expected, received, cause });
}

/** Whether an Arrow field can be read as the column metadata.json declares. */
function fieldMatches(field: Field, column: TExamplesColumn): boolean {
  if (column.kind === 'number') return DataType.isFloat(field.type) || DataType.isInt(field.type);
  if (column.kind === 'string') return field.type instanceof Utf8;
  const size = column.shape[0] * column.shape[1] * column.shape[2];
  return field.type instanceof FixedSizeList && field.type.listSize === size && DataType.isInt(field.type.children[0]!.type);
}

function checkSchema(path: string, schema: Schema, columns: readonly TExamplesColumn[]): void {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  for (const column of columns) {
    const field = byName.get(column.name);
    if (!field || !fieldMatches(field, column)) {
      throw corrupt(
        path,
        `Examples split file does not match metadata.json (column ${column.name})`,
        `column ${column.name} of kind ${column.kind}${column.kind === 'image' ? ` ${JSON.stringify(column.shape)}` : ''}`,
        field ? `Arrow type ${String(field.type)}` : `no such column (has ${[...byName.keys()].join(', ')})`,
      );
    }
  }
}

async function* readSplitFile(
  path: string,
  columns: readonly TExamplesColumn[],
  expectedRows: number,
): AsyncGenerator<TableBatch> {
  try {
    await access(path);
  } catch (error) {
    throw corrupt(path, 'Examples split file is missing', 'an Arrow IPC stream', 'no such file', error);
  }
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let rows = 0;
  let hasYielded = false;
  try {
    let reader;
    try {
      reader = await RecordBatchReader.from(stream);
      await reader.open();
    } catch (error) {
      throw corrupt(path, 'Examples split file is not an Arrow IPC stream', 'an Arrow IPC stream', (error as Error).message, error);
    }
    if (!reader.schema) {
      throw corrupt(path, 'Examples split file has no Arrow schema', 'an Arrow IPC stream', 'an empty file');
    }
    checkSchema(path, reader.schema, columns);
    const nullsAreNaN = reader.schema.metadata.get(NULLS_ARE_NAN_KEY) === 'true';
    const iterator = reader[Symbol.asyncIterator]();
    for (;;) {
      let next;
      try {
        next = await iterator.next();
      } catch (error) {
        throw corrupt(path, 'Examples split file is truncated or corrupt', 'whole Arrow record batches', (error as Error).message, error);
      }
      if (next.done) break;
      rows += next.value.numRows;
      hasYielded = true;
      yield fromRecordBatch(next.value, columns, nullsAreNaN);
    }
  } finally {
    stream.destroy();
  }
  if (rows !== expectedRows) {
    throw corrupt(path, 'Examples split file holds a different number of rows than metadata.json says', `${expectedRows} rows`, `${rows} rows`);
  }
  if (!hasYielded) {
    // An empty split still tells the consumer its columns.
    yield emptyBatch(columns);
  }
}

function emptyBatch(columns: readonly TExamplesColumn[]): TableBatch {
  return {
    length: 0,
    columns: columns.map((c) =>
      c.kind === 'number'
        ? { kind: 'number', name: c.name, values: new Float64Array(0) }
        : c.kind === 'string'
          ? { kind: 'string', name: c.name, values: [] }
          : { kind: 'image', name: c.name, shape: c.shape, data: new Uint8Array(0) },
    ),
  };
}

/**
 * Streams one split of an Examples artifact as TableBatches, columns in metadata.json order.
 * Number and image columns are views into the Arrow buffers (no copy); strings are decoded.
 *
 * @throws PipelineError `NOT_FOUND` for a split the artifact does not have; `ARTIFACT_CORRUPT` when
 * metadata.json or the split file is missing, unreadable, does not match the metadata's columns,
 * or holds another row count than recorded.
 *
 * @example
 * for await (const batch of readExamples(examplesUri, 'train', { batchSize: 1024 })) { … }
 */
export async function* readExamples(dir: string, split: string, options: ReadExamplesOptions = {}): AsyncGenerator<TableBatch> {
  const metadata = options.metadata ?? (await readExamplesMetadata(dir));
  if (!metadata.splitNames.includes(split)) {
    throw new PipelineError('NOT_FOUND', `Examples at ${dir} have no split ${split}`, {
      expected: `one of ${metadata.splitNames.join(', ')}`,
      received: split,
    });
  }
  const source = readSplitFile(examplesSplitPath(dir, split), metadata.columns, metadata.rowCounts[split] ?? 0);
  if (options.batchSize === undefined) {
    yield* source;
    return;
  }
  if (!(Number.isInteger(options.batchSize) && options.batchSize > 0)) {
    throw new PipelineError('INVALID_INPUT', 'batchSize must be a positive integer', {
      expected: 'e.g. 1024',
      received: String(options.batchSize),
    });
  }
  yield* rebatch(source, options.batchSize);
}

/**
 * A whole split in memory as one TableBatch (training shuffles across all rows). Images stay
 * uint8: 60,000 Fashion-MNIST images are 47 MB, 2,520 rock-paper-scissors images 170 MB.
 */
export async function readSplit(uri: string, split: string, options: ReadExamplesOptions = {}): Promise<TableBatch> {
  const batches: TableBatch[] = [];
  for await (const batch of readExamples(uri, split, options)) batches.push(batch);
  return concatBatches(batches);
}
