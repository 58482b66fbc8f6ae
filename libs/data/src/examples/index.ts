export { createExamplesWriter, writeExamples } from './writer';
export type { ExamplesWriter, ExamplesWriterOptions, ExamplesCloseInfo } from './writer';
export { readExamples, readSplit } from './reader';
export type { ReadExamplesOptions } from './reader';
export {
  readExamplesMetadata,
  examplesSplitPath,
  describeColumns,
  ZExamplesMetadata,
  ZExamplesColumn,
  ZLabelInfo,
  EXAMPLES_METADATA_FILE,
  EXAMPLES_DATA_FILE,
} from './metadata';
export type { TExamplesMetadata, TExamplesColumn } from './metadata';
export { sliceBatch, takeRows, concatBatches, rebatch } from './batch-ops';
