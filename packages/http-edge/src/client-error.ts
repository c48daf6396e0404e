// Answers for requests Node's HTTP parser rejects before Fastify sees them (a raw byte in the path, both
// Content-Length and Transfer-Encoding, a negative Content-Length, a garbage request line, headers over
// maxHeaderSize, a request that took too long): problem+json written straight to the socket, then the
// connection is closed, because the parser cannot find where the next request would start.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problemBody, problemTitle } from './problem.js';

const PARSE_REASONS: Record<string, string> = {
  HPE_UNEXPECTED_CONTENT_LENGTH: 'it has both Content-Length and Transfer-Encoding; send only one',
  HPE_INVALID_CONTENT_LENGTH: 'its Content-Length is not a single non-negative integer',
  HPE_INVALID_TRANSFER_ENCODING: 'its Transfer-Encoding is not chunked, or it also has Content-Length; send one of the two',
  HPE_INVALID_URL: 'its request target contains a byte that must be percent-encoded',
  HPE_INVALID_METHOD: 'its request line is not `METHOD /path HTTP/1.1`',
  HPE_INVALID_CONSTANT: 'its request line is not `METHOD /path HTTP/1.1`',
  HPE_INVALID_VERSION: 'its HTTP version is not 1.0 or 1.1',
  HPE_INVALID_HEADER_TOKEN: 'a header name or value contains a byte HTTP does not allow',
  HPE_LF_EXPECTED: 'its lines do not end in CRLF',
  HPE_CR_EXPECTED: 'its lines do not end in CRLF',
  HPE_INVALID_CHUNK_SIZE: 'a chunk size of its chunked body is malformed',
};

/** The status, code and message for a client error Node's HTTP server reports. */
function clientErrorProblem(err: NodeJS.ErrnoException): { status: number; code: string; detail: string } {
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, code: 'ATL_HEADERS_TOO_LARGE', detail: 'The request line and headers are larger than the server accepts (16 KiB); send fewer or shorter headers or a shorter URL.' };
  }
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, code: 'ATL_REQUEST_TIMEOUT', detail: 'The request was not received in time; send it again.' };
  }
  const reason = (err.code && PARSE_REASONS[err.code]) ?? `it is not valid HTTP/1.1 (${err.code ?? 'parse error'})`;
  return { status: 400, code: 'ATL_MALFORMED_HTTP', detail: `The request could not be parsed: ${reason}.` };
}

/** Fastify's `clientErrorHandler`: the same answer as every other error, as problem+json. */
export function problemClientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  // Node's own handler makes the same check: once a response has started, another status line would
  // corrupt the stream.
  const current = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (!socket.writable || current?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, code, detail } = clientErrorProblem(err);
  const body = JSON.stringify(problemBody({ status, code, detail }));
  socket.end(
    `HTTP/1.1 ${status} ${problemTitle(status)}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  // end() flushes, then half-closes; a client that never closes its side must not hold the socket.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** An `Expect` other than 100-continue: Node would answer a bare 417; answer problem+json instead. */
export function answerUnsupportedExpectations(server: Server): void {
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify(
      problemBody({
        status: 417,
        code: 'ATL_EXPECTATION_FAILED',
        detail: `Expect: ${String(req.headers.expect)} is not supported; send the request without it (or with Expect: 100-continue).`,
        instance: req.url,
      }),
    );
    res.writeHead(417, { 'content-type': PROBLEM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
  });
}
