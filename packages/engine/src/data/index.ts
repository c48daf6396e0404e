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
export { splitColumns, type SplitFractions, type SplitOptions, type Splits } from './split.js';
