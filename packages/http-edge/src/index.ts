// @atelier/http-edge: what every Atelier HTTP server (gateway, serving node) does at its edge.
export { httpEdgePlugin, httpEdgeServerOptions, sendEdgeProblem } from './http-edge.plugin.js';
export { HttpEdgeError, PROBLEM_CONTENT_TYPE, problemBody, problemTitle, type ProblemBody, type ProblemFieldError } from './problem.js';
export { fastifyClientError } from './fastify-errors.js';
export { clientErrorProblem, problemClientErrorHandler } from './client-error.js';
export { parseJsonBody } from './json-body.js';
export { decodeContentEncoding, SUPPORTED_CONTENT_ENCODINGS } from './content-encoding.js';
export { ConnectionDrain } from './connection-drain.js';
