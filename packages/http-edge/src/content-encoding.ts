// Request bodies sent with Content-Encoding: gzip, deflate and br are decoded before any content-type
// parser (or a route that reads the raw stream) sees them, so body limits count decoded bytes: a zip bomb
// stops at the limit like any large body. Other codings are refused with 415 and Accept-Encoding.
import type { IncomingMessage } from 'node:http';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { HttpEdgeError } from './problem.js';

const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};
const SUPPORTED_CONTENT_ENCODINGS = 'gzip, deflate, br';
const MAX_CODINGS = 3;

/** The decoded body as a stream (the payload itself when nothing is encoded). */
export function decodeContentEncoding(raw: IncomingMessage, payload: Readable): Readable {
  const header = raw.headers['content-encoding'];
  if (!header) return payload;
  const codings = header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  // A request without a body (no Content-Length, not chunked, or Content-Length: 0) has nothing to decode.
  const length = raw.headers['content-length'];
  if (codings.length === 0 || (raw.headers['transfer-encoding'] === undefined && (length === undefined || Number(length) === 0))) return payload;
  const unsupported = codings.find((c) => !Object.hasOwn(DECODERS, c));
  if (unsupported !== undefined || codings.length > MAX_CODINGS) {
    throw new HttpEdgeError(
      415,
      'ATL_UNSUPPORTED_CONTENT_ENCODING',
      unsupported !== undefined
        ? `Content-Encoding '${unsupported}' is not supported; send the body as ${SUPPORTED_CONTENT_ENCODINGS} or unencoded.`
        : `At most ${MAX_CODINGS} content codings are decoded; send the body with one of ${SUPPORTED_CONTENT_ENCODINGS}.`,
      { 'accept-encoding': SUPPORTED_CONTENT_ENCODINGS },
    );
  }

  let encodedBytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      encodedBytes += chunk.length;
      cb(null, chunk);
    },
  });
  const out = new PassThrough();
  // Fastify compares Content-Length with this (not with the decoded length).
  Object.defineProperty(out, 'receivedEncodedLength', { get: () => encodedBytes });
  const chain: Transform[] = [counter, ...codings.reverse().map((c) => DECODERS[c]())];
  const badEncoding = (err: Error) =>
    new HttpEdgeError(400, 'ATL_BAD_CONTENT_ENCODING', `The body is not valid ${header} data (${err.message}); send it encoded as Content-Encoding says.`);
  let previous: Readable = payload;
  for (const stream of chain) {
    previous.pipe(stream);
    stream.on('error', (err) => out.destroy(badEncoding(err)));
    previous = stream;
  }
  previous.pipe(out);
  payload.on('error', (err) => out.destroy(err));
  // When the reader stops early (limit reached, error), stop decoding and let the rest of the body drain.
  out.on('close', () => {
    for (const stream of chain) stream.destroy();
    if (!payload.readableEnded) payload.resume();
  });
  return out;
}
