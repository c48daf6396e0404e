export * from './search-space.js';
export * from './strategies.js';
