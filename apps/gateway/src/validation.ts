// The validator compiler is the HTTP edge's (the serving node compiles the same contracts with it).
export { createValidatorCompiler } from '@atelier/http-edge';
