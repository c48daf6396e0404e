export * from './dataset-format.js';
export * from './dataset-schema.js';
export * from './datasets.errors.js';
export { analyzeDatasetFile, datasetReaderSql } from './dataset-analyzer.js';
export type {
  AnalyzeOptions,
  CategoricalHistogram,
  ColumnProfile,
  DatasetAnalysis,
  DatasetProfile,
  NumericHistogram,
} from './dataset-analyzer.js';
export * from './datasets.service.js';
export { AlignedParquetWriter, type AlignedParquetWriterOptions, type ComputedColumn } from './aligned-parquet-writer.js';
export { publishDatasetFile, type PublishDatasetFileInput, type PublishedDatasetFile } from './dataset-file-publisher.js';
