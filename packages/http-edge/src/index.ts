// @atelier/http-edge: what every Atelier HTTP server (gateway, serving node) does at its edge.
export { httpEdgePlugin, httpEdgeServerOptions } from './http-edge.plugin.js';
export { HttpEdgeError, PROBLEM_CONTENT_TYPE, problemBody, type ProblemBody, type ProblemFieldError } from './problem.js';
export { fastifyClientError } from './fastify-errors.js';
export { parseJsonBody } from './json-body.js';
export { createValidatorCompiler, validationDetail, validationFieldErrors } from './request-validation.js';
