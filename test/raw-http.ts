// Raw HTTP/1.1 over a TCP socket: what a client (or an attacker) sends byte for byte, and the one answer
// the server writes back, parsed just enough to assert on status, headers and a JSON body.
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  json(): Record<string, unknown>;
}

/** Send `bytes` and read the first response (to its Content-Length, or until the server closes). */
export function rawRequest(port: number, bytes: string | Buffer, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms; got ${JSON.stringify(data.toString('latin1'))}`));
    }, timeoutMs);
    const finish = (complete: boolean) => {
      const text = data.toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) {
        if (complete) {
          clearTimeout(timer);
          reject(new Error(`connection closed without an HTTP answer: ${JSON.stringify(text)}`));
        }
        return;
      }
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const bodyBytes = data.subarray(Buffer.byteLength(text.slice(0, split + 4), 'latin1'));
      const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
      if (!complete && (length === undefined || bodyBytes.length < length)) return;
      clearTimeout(timer);
      socket.destroy();
      const body = bodyBytes.subarray(0, length ?? bodyBytes.length).toString('utf8');
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, json: () => JSON.parse(body) });
    };
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('error', (err) => {
      // A reset after the answer arrived still counts as an answer.
      if (data.length > 0) finish(true);
      else {
        clearTimeout(timer);
        reject(err);
      }
    });
    socket.write(bytes);
  });
}

/** A request head with Host and Connection: close; `extra` lines go verbatim after them. */
export const head = (requestLine: string, ...extra: string[]) => [requestLine, 'Host: localhost', 'Connection: close', ...extra, '', ''].join('\r\n');

/** Requests Node's parser or Fastify's router reject before any route runs: every server must answer each with problem+json. */
export const MALFORMED_REQUESTS: Array<{ name: string; bytes: string | Buffer; status: number; code: string }> = [
  { name: 'a raw byte in the path', bytes: Buffer.concat([Buffer.from('GET /v1/caf'), Buffer.from([0xe9]), Buffer.from(` HTTP/1.1\r\nHost: localhost\r\n\r\n`)]), status: 400, code: 'ATL_MALFORMED_HTTP' },
  { name: 'both Content-Length and Transfer-Encoding', bytes: head('POST /healthz HTTP/1.1', 'Content-Length: 5', 'Transfer-Encoding: chunked') + '0\r\n\r\n', status: 400, code: 'ATL_MALFORMED_HTTP' },
  { name: 'a negative Content-Length', bytes: head('POST /healthz HTTP/1.1', 'Content-Length: -1'), status: 400, code: 'ATL_MALFORMED_HTTP' },
  { name: 'a garbage request line', bytes: 'HELLO THERE\r\n\r\n', status: 400, code: 'ATL_MALFORMED_HTTP' },
  { name: 'headers over maxHeaderSize', bytes: head('GET /healthz HTTP/1.1', `X-Big: ${'a'.repeat(20_000)}`), status: 431, code: 'ATL_HEADERS_TOO_LARGE' },
  { name: 'a path segment over maxParamLength', bytes: head(`POST /v1/projects/${'p'.repeat(200)}/models/m/predict HTTP/1.1`, 'Content-Length: 0'), status: 414, code: 'ATL_URI_TOO_LONG' },
  { name: 'malformed percent-encoding in the path', bytes: head('GET /v1/projects/%E0%A4%A/models/m/predict HTTP/1.1'), status: 400, code: 'ATL_BAD_URL' },
  { name: 'an unknown route', bytes: head('GET /nowhere HTTP/1.1'), status: 404, code: 'ATL_ROUTE_NOT_FOUND' },
  { name: 'an unsupported Expect', bytes: head('POST /healthz HTTP/1.1', 'Expect: teapot', 'Content-Length: 0'), status: 417, code: 'ATL_EXPECTATION_FAILED' },
];
