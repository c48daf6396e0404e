export * from './duckdb/duckdb-session.js';
export * from './datasets/index.js';
