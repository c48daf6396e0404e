// Helpers shared by the implementations: turn any accepted body into a chunk stream, read a stream fully.
import type { Readable } from 'node:stream';
import type { ArtifactBody } from './artifact-store.js';

/** Yields the body as Buffers (strings from an encoded Readable are turned back into UTF-8 bytes). */
export async function* bodyChunks(body: ArtifactBody): AsyncGenerator<Buffer> {
  if (body instanceof Uint8Array) {
    if (body.byteLength > 0) yield Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    return;
  }
  if (body === null || typeof body !== 'object' || !(Symbol.asyncIterator in body)) {
    throw new TypeError('artifact body must be a Readable, an AsyncIterable<Uint8Array> or a Uint8Array');
  }
  for await (const chunk of body as AsyncIterable<unknown>) {
    if (chunk instanceof Uint8Array) {
      if (chunk.byteLength > 0) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    } else if (typeof chunk === 'string') {
      if (chunk.length > 0) yield Buffer.from(chunk, 'utf8');
    } else {
      throw new TypeError(`artifact body yielded a ${typeof chunk}; expected Uint8Array chunks`);
    }
  }
}

export async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}
