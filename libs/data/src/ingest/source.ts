import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { generateRockPaperScissors } from '../datasets/rps-synthetic';
import { readCsvBatches } from './csv';
import { listImageFolder, readImageFolderBatches } from './image-folder';
import { readIdxBatches } from './idx';
import { fileError, throwIfAborted } from './internal/util';
import { readJsonArrayBatches, readJsonlBatches } from './json';
import { readParquetBatches } from './parquet';
import type { SourceBatch } from './types';

const ZColumnTypes = z.record(z.string(), z.enum(['number', 'string']));
const ZLimit = z.number().int().positive();
const ZPath = z.string().min(1);

/** A delimited text file; see `CsvReadOptions` for every option's default. */
export const ZCsvSource = z.object({
  format: z.literal('csv'),
  path: ZPath,
  delimiter: z.string().length(1).optional(),
  quote: z.string().length(1).optional(),
  header: z.boolean().optional(),
  columnNames: z.array(z.string()).optional(),
  missingValues: z.array(z.string()).optional(),
  columnTypes: ZColumnTypes.optional(),
  inferRows: z.number().int().positive().optional(),
  limit: ZLimit.optional(),
});

/** One JSON object per line. */
export const ZJsonlSource = z.object({
  format: z.literal('jsonl'),
  path: ZPath,
  columnTypes: ZColumnTypes.optional(),
  inferRows: z.number().int().positive().optional(),
  missingValues: z.array(z.string()).optional(),
  limit: ZLimit.optional(),
});

/** One JSON array of objects, read element by element. */
export const ZJsonSource = ZJsonlSource.extend({ format: z.literal('json') });

export const ZParquetSource = z.object({
  format: z.literal('parquet'),
  path: ZPath,
  columns: z.array(z.string()).min(1).optional(),
  limit: ZLimit.optional(),
});

/** One subfolder per class holding PNG/JPEG files. */
export const ZImageFolderSource = z.object({
  format: z.literal('image-folder'),
  path: ZPath,
  /** `[height, width]` every image is resized to. */
  imageSize: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  /** 3 = RGB (default), 1 = grayscale. */
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  limit: ZLimit.optional(),
  /**
   * Draw the folder first when it is missing (or was drawn with other options): the procedurally
   * generated rock-paper-scissors set, so the talk's CNN runs without a download. A folder of
   * real images at `path` is never touched (the generator refuses folders it did not write).
   */
  generate: z
    .object({
      dataset: z.literal('rock-paper-scissors'),
      perClass: z.number().int().positive().max(100_000),
      seed: z.number().int().nonnegative().default(1),
      size: z.number().int().min(8).max(1024).default(150),
    })
    .optional(),
});

/** An MNIST-style IDX pair of images and labels, gzipped or not. */
export const ZIdxSource = z.object({
  format: z.literal('idx'),
  images: ZPath,
  labels: ZPath,
  /** Gives the labels class names. */
  dataset: z.enum(['mnist', 'fashion-mnist']).optional(),
  limit: ZLimit.optional(),
});

/** Where an ingest reads from, by `format`. */
export const ZIngestSource = z.discriminatedUnion('format', [
  ZCsvSource,
  ZJsonlSource,
  ZJsonSource,
  ZParquetSource,
  ZImageFolderSource,
  ZIdxSource,
]);
export type TIngestSource = z.infer<typeof ZIngestSource>;
export type TIngestFormat = TIngestSource['format'];

/** Options for {@link readSourceBatches} that do not describe the source itself. */
export type ReadSourceOptions = { batchSize?: number; signal?: AbortSignal };

/** Streams any source as {@link SourceBatch}es: the one entry point ingest uses. */
export function readSourceBatches(source: TIngestSource, options: ReadSourceOptions = {}): AsyncGenerator<SourceBatch> {
  switch (source.format) {
    case 'csv': {
      const { format: _, path, ...rest } = source;
      return readCsvBatches(path, { ...rest, ...options });
    }
    case 'jsonl': {
      const { format: _, path, ...rest } = source;
      return readJsonlBatches(path, { ...rest, ...options });
    }
    case 'json': {
      const { format: _, path, ...rest } = source;
      return readJsonArrayBatches(path, { ...rest, ...options });
    }
    case 'parquet': {
      const { format: _, path, ...rest } = source;
      return readParquetBatches(path, { ...rest, ...options });
    }
    case 'image-folder': {
      const { format: _, path, generate: __, ...rest } = source;
      return readImagesAfterGenerating(source, () => readImageFolderBatches(path, { ...rest, ...options }));
    }
    case 'idx': {
      const { format: _, images, labels, ...rest } = source;
      return readIdxBatches(images, labels, { ...rest, ...options });
    }
  }
}

/** Draws a generated image folder when the source asks for one (idempotent: a complete folder is reused). */
async function generateIfAsked(source: z.infer<typeof ZImageFolderSource>): Promise<void> {
  if (source.generate) {
    const { perClass, seed, size } = source.generate;
    await generateRockPaperScissors({ dir: source.path, perClass, seed, size });
  }
}

async function* readImagesAfterGenerating(
  source: z.infer<typeof ZImageFolderSource>,
  read: () => AsyncGenerator<SourceBatch>,
): AsyncGenerator<SourceBatch> {
  await generateIfAsked(source);
  yield* read();
}

/** Human-readable location of a source, for metadata and messages. */
export function describeSource(source: TIngestSource): string {
  return source.format === 'idx' ? `${source.images} + ${source.labels}` : source.path;
}

async function hashFile(hash: ReturnType<typeof createHash>, path: string, signal?: AbortSignal): Promise<void> {
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      throwIfAborted(signal);
      hash.update(chunk as Buffer);
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'CANCELED') throw error;
    throw fileError(path, 'source file', error);
  }
}

/**
 * Content fingerprint of a source: `sha256:<hex>` over the file's bytes (both files for IDX; for
 * an image folder, every listed image's relative path and bytes in listing order). Streams, so
 * memory stays flat. Reader options are not part of it: re-ingesting the same bytes with other
 * options keeps the span.
 */
export async function fingerprintSource(source: TIngestSource, options: { signal?: AbortSignal } = {}): Promise<string> {
  const hash = createHash('sha256');
  if (source.format === 'idx') {
    await hashFile(hash, source.images, options.signal);
    hash.update('\0');
    await hashFile(hash, source.labels, options.signal);
  } else if (source.format === 'image-folder') {
    await generateIfAsked(source);
    const { files } = await listImageFolder(source.path);
    for (const file of files) {
      hash.update(`${file.relativePath}\0`);
      await hashFile(hash, file.path, options.signal);
      hash.update('\0');
    }
  } else {
    await hashFile(hash, source.path, options.signal);
  }
  return `sha256:${hash.digest('hex')}`;
}
