export {
  type Column,
  type ColumnBatch,
  assertBatch,
  batchFromColumns,
  concatBatches,
  gatherBatch,
  sliceBatch,
} from './column-batch.js';
export { Dataset, type BatchOptions, type FromColumnsOptions, type RowMask } from './dataset.js';
export { splitColumns, hashSplitOf, hashSplitParams, SPLIT_TRAIN, SPLIT_VALIDATION, SPLIT_TEST, type SplitFractions, type SplitOptions, type Splits } from './split.js';
