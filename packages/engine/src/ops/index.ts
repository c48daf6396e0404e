export * from './binary.js';
export * from './unary.js';
export * from './reduce.js';
export * from './shape.js';
export * from './matmul.js';
export * from './nn.js';
export * from './gather.js';
export { asTensor, type TensorOrNumber } from './convert.js';
