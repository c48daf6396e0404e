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
