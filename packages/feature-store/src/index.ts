export * from './duckdb/duckdb-session.js';
export * from './datasets/index.js';
export * from './features/index.js';
export * from './columnar/columnar-reader.js';
export * from './columnar/parquet-cache.js';
