// application/json bodies, parsed strictly: the bytes must be UTF-8 (Buffer#toString would turn a bad
// byte into U+FFFD and store it), and secure-json-parse refuses __proto__ / constructor.prototype keys
// as Fastify's own parser does.
import type { FastifyInstance } from 'fastify';
import { parse as secureJsonParse } from 'secure-json-parse';
import { HttpEdgeError } from './problem.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parse a JSON body from its bytes; a client error for anything but a well-formed UTF-8 JSON text. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) {
    throw new HttpEdgeError(400, 'ATL_MALFORMED_JSON', 'The body is empty but Content-Type is application/json; send a JSON object.');
  }
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new HttpEdgeError(400, 'ATL_MALFORMED_JSON', 'The request body is not valid UTF-8; JSON bodies must be encoded as UTF-8.');
  }
  try {
    return secureJsonParse(text, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw new HttpEdgeError(400, 'ATL_MALFORMED_JSON', 'The request body is not valid JSON.');
  }
}

/** Replace Fastify's JSON parser (same media type, same body limit) with the strict one. */
export function useStrictJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(String(request.headers['content-type']))?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      done(new HttpEdgeError(415, 'ATL_UNSUPPORTED_MEDIA_TYPE', `JSON bodies must be UTF-8; send charset=utf-8 or no charset (got '${charset}').`), undefined);
      return;
    }
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
