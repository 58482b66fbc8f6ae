// Public surface of @tsfx/data: pure data logic (ingest, statistics, schema, validation,
// transform). Each area lists its exports in its own index; this file names them again so
// the package's surface is reviewed in one place. Transform code is browser-safe.
export type { Column, ColumnKind, ImageColumn, LabelInfo, NumberColumn, StringColumn, TableBatch } from './batch';

export { ingest, nextSpan, ZIngestOptions, QUARANTINE_FILE, DEFAULT_ERROR_BUDGET } from './ingest/ingest';
export type { IngestContext, IngestProgress, IngestResult, TIngestOptions } from './ingest/ingest';
export { ZIngestSource, ZCsvSource, ZJsonlSource, ZJsonSource, ZParquetSource, ZImageFolderSource, ZIdxSource, readSourceBatches, fingerprintSource, describeSource } from './ingest/source';
export type { TIngestSource, TIngestFormat, ReadSourceOptions } from './ingest/source';
export { sourceFromPath } from './ingest/detect-source';
export type { SourceFromPathOptions } from './ingest/detect-source';
export { readCsvBatches, DEFAULT_CSV_MISSING_VALUES, DEFAULT_INFER_ROWS } from './ingest/csv';
export type { CsvReadOptions } from './ingest/csv';
export { readJsonlBatches, readJsonArrayBatches } from './ingest/json';
export type { JsonReadOptions } from './ingest/json';
export { readParquetBatches } from './ingest/parquet';
export type { ParquetReadOptions } from './ingest/parquet';
export { readImageFolderBatches, listImageFolder, decodeImage } from './ingest/image-folder';
export type { ImageFolderReadOptions, ImageFile } from './ingest/image-folder';
export { readIdxBatches, FASHION_MNIST_CLASS_NAMES, MNIST_CLASS_NAMES } from './ingest/idx';
export type { IdxReadOptions, IdxDataset } from './ingest/idx';
export { ZSplitConfig, DEFAULT_SPLIT_CONFIG, hashRows, assignSplits, splitNamesOf } from './ingest/split';
export type { TSplitConfig } from './ingest/split';
export { DEFAULT_BATCH_SIZE } from './ingest/types';
export type { BadRow, SourceBatch, SourceReadOptions } from './ingest/types';
export { FASHION_MNIST_DIR, fashionMnistSource, locateFashionMnist, locateFlightsParquet, locatePenguins, locateSeattleWeather, locateVegaDatasetsDir } from './datasets/index';
export type { FashionMnistSplit, IdxPair, TabularDataset } from './datasets/index';
export { generateRockPaperScissors, renderRpsImage, RPS_CLASS_NAMES, RPS_MANIFEST_FILE, ZRockPaperScissorsOptions } from './datasets/index';
export type { RockPaperScissorsDataset, RockPaperScissorsOptions, RpsClassName } from './datasets/index';

export { createExamplesWriter, writeExamples } from './examples/writer';
export type { ExamplesWriter, ExamplesWriterOptions, ExamplesCloseInfo } from './examples/writer';
export { readExamples, readSplit } from './examples/reader';
export type { ReadExamplesOptions } from './examples/reader';
export { readExamplesMetadata, examplesSplitPath, describeColumns, ZExamplesMetadata, ZExamplesColumn, ZLabelInfo, EXAMPLES_METADATA_FILE, EXAMPLES_DATA_FILE } from './examples/metadata';
export type { TExamplesMetadata, TExamplesColumn } from './examples/metadata';
export { sliceBatch, takeRows, concatBatches, rebatch } from './examples/batch-ops';

export { computeStatistics, createStatisticsAccumulator } from './statistics/accumulator';
export { createRandom } from './statistics/random';
export type { StatisticsAccumulator, StatisticsOptions } from './statistics/accumulator';
export { computeCsvStatistics } from './statistics/parallel-csv-statistics';
export type { CsvStatisticsOptions, CsvStatisticsProgress, CsvStatisticsResult, CsvStatisticsTimings } from './statistics/parallel-csv-statistics';
export { restoreStatistics, snapshotStatistics } from './statistics/accumulator-snapshot';
export type { FeatureSnapshot, StatisticsSnapshot } from './statistics/accumulator-snapshot';
export { STATISTICS_FORMAT_VERSION, ZDatasetStatistics, ZFeatureStatistics, ZHistogramBucket, ZImageShape, ZImageStatistics, ZLabelStatistics, ZNumericStatistics, ZQuantile, ZStringStatistics, ZValueCount } from './statistics/types';
export type { TDatasetStatistics, TFeatureStatistics, TFeatureType, THistogramBucket, TImageFeatureStatistics, TImageShape, TImageStatistics, TLabelStatistics, TNumberFeatureStatistics, TNumericStatistics, TQuantile, TStringFeatureStatistics, TStringStatistics, TValueCount } from './statistics/types';
export { createKllSketch, KLL_DEFAULT_K, kllRankErrorBound, quantileOfView } from './statistics/kll-sketch';
export type { KllSketch, KllSketchOptions, KllSortedView } from './statistics/kll-sketch';
export { REPORTED_QUANTILE_RANKS } from './statistics/numeric-accumulator';
export { createHyperLogLog, hashString, HLL_DEFAULT_PRECISION } from './statistics/hyperloglog';
export type { HyperLogLog } from './statistics/hyperloglog';
export { createFrequentItemsSketch } from './statistics/frequent-items';
export type { FrequentItem, FrequentItemsOptions, FrequentItemsSketch } from './statistics/frequent-items';

export { inferSchema } from './schema/infer-schema';
export type { ComparatorThresholds, InferSchemaOptions } from './schema/infer-schema';
export { formatSchemaJson, parseSchemaJson } from './schema/parse-schema';
export { SCHEMA_VERSION, SERVING_ENVIRONMENT, TRAINING_ENVIRONMENT, ZFeatureComparator, ZFeatureSchema, ZImageFeatureSchema, ZNumberDomain, ZNumberFeatureSchema, ZPresence, ZSchema, ZStringDomain, ZStringFeatureSchema, ZThreshold, ZValueCountRange } from './schema/types';
export type { TFeatureComparator, TFeatureSchema, TImageFeatureSchema, TNumberFeatureSchema, TPresence, TSchema, TSchemaInput, TStringFeatureSchema } from './schema/types';

export { countAnomalies, hasErrorAnomalies, validateStatistics } from './validation/validate-statistics';
export type { ValidateStatisticsOptions } from './validation/validate-statistics';
export { categoricalJensenShannon, histogramJensenShannon, lInfinityDistance } from './validation/distances';
export { ANOMALIES_FORMAT_VERSION, ZAnomalies, ZAnomaly, ZAnomalyKind, ZAnomalySeverity, ZComparison, ZDistanceMeasure, ZDistributionScore } from './validation/types';
export type { TAnomalies, TAnomaly, TAnomalyKind, TAnomalySeverity, TComparison, TDistanceMeasure, TDistributionScore } from './validation/types';

export { applyTransform } from './transform/apply-transform';
export type { TTransformedBatch, TTransformedFeature } from './transform/apply-transform';
export { fitTransform } from './transform/fit-transform';
export type { TFitTransformOptions } from './transform/fit-transform';
export { TRANSFORM_GRAPH_FORMAT_VERSION, ZTransformGraph, ZTransformInput, ZTransformOutput, parseTransformGraph, serializeTransformGraph } from './transform/graph';
export type { TTransformGraph, TTransformInput, TTransformOutput } from './transform/graph';
export { ZBucketizedColumnSpec, ZCategoricalHashColumnSpec, ZCategoricalIdentityColumnSpec, ZCategoricalVocabularyColumnSpec, ZCrossedColumnSpec, ZEmbeddingColumnSpec, ZFeatureColumnSpec, ZFittedFeatureColumn, ZFittedLabel, ZImageColumnSpec, ZIndicatorColumnSpec, ZLabelSpec, ZNumericColumnSpec, ZTextColumnSpec, ZTransformSpec } from './transform/feature-columns/schemas';
export type { TFeatureColumnKind, TFeatureColumnSpec, TFeatureColumnSpecInput, TFittedFeatureColumn, TFittedLabel, TLabelSpec, TTransformSpec, TTransformSpecInput } from './transform/feature-columns/schemas';
export { createFeatureColumnRegistry, featureColumnRegistry } from './transform/feature-columns/registry';
export type { TFeatureColumnRegistry } from './transform/feature-columns/registry';
export type { TFeatureColumnImpl } from './transform/feature-columns/types';
export type { TRawImage, TRawRow } from './transform/internal/input-view';
export { fingerprint64, hashToBucket } from './transform/internal/farmhash';
