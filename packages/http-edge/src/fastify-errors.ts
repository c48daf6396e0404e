// Fastify's own client errors (body parsing, routing) → our codes, with a message that says what to do.
// Both apps' error handlers and `frameworkErrors` (errors raised before a route is found) use this map.
import { HttpEdgeError } from './problem.js';

type FastifyLikeError = { code?: string; message?: string; statusCode?: number };

const FASTIFY_ERRORS: Record<string, (e: FastifyLikeError) => HttpEdgeError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => new HttpEdgeError(400, 'ATL_MALFORMED_JSON', 'The request body is not valid JSON.'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () =>
    new HttpEdgeError(400, 'ATL_MALFORMED_JSON', 'The body is empty but Content-Type is application/json; send a JSON object.'),
  FST_ERR_CTP_BODY_TOO_LARGE: (e) =>
    new HttpEdgeError(413, 'ATL_BODY_TOO_LARGE', `The request body (after Content-Encoding is decoded) is larger than this route accepts. ${e.message ?? ''}`.trim()),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new HttpEdgeError(415, 'ATL_UNSUPPORTED_MEDIA_TYPE', 'This route does not accept that Content-Type; send application/json.'),
  FST_ERR_CTP_INVALID_TYPE: () =>
    new HttpEdgeError(415, 'ATL_UNSUPPORTED_MEDIA_TYPE', 'The Content-Type header is malformed; send application/json.'),
  FST_ERR_CTP_EMPTY_TYPE: () =>
    new HttpEdgeError(415, 'ATL_UNSUPPORTED_MEDIA_TYPE', 'The Content-Type header is empty; send application/json.'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new HttpEdgeError(400, 'ATL_BAD_CONTENT_LENGTH', 'Content-Length does not match the body that was sent.'),
  FST_ERR_BAD_URL: () =>
    new HttpEdgeError(400, 'ATL_BAD_URL', "The request path is not valid percent-encoding; encode '%' as %25 and any other reserved byte as %XX."),
  FST_ERR_MAX_PARAM_LENGTH: () =>
    new HttpEdgeError(414, 'ATL_URI_TOO_LONG', 'A path segment of this URL is longer than the API accepts; names are at most 100 characters.'),
};

/** Our error for one of Fastify's coded client errors, or undefined when the error is not one of them. */
export function fastifyClientError(error: unknown): HttpEdgeError | undefined {
  const e = error as FastifyLikeError | undefined;
  return e?.code && Object.hasOwn(FASTIFY_ERRORS, e.code) ? FASTIFY_ERRORS[e.code](e) : undefined;
}
