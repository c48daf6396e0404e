// Turns what a caller uploads (a Blob or File, bytes, text, a ReadableStream, an async iterable, or a
// Node file source from '@atelier/sdk/node') into a fetch body, counting bytes for progress callbacks.
// Node streams a request body with `duplex: 'half'`; browsers only stream request bodies over HTTP/2,
// so there a stream is gathered into a Blob first and progress is reported when the upload finishes.

export type DatasetFormat = 'csv' | 'jsonl' | 'parquet';

export interface UploadProgress {
  bytesSent: number;
  /** Known for Blobs, bytes, text and file sources; undefined for a bare stream. */
  totalBytes: number | undefined;
}

/** What '@atelier/sdk/node' fileSource() returns; anything of this shape works. */
export interface StreamSource {
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;
  size?: number;
  format?: DatasetFormat;
  name?: string;
}

export type UploadSource = Blob | Uint8Array | ArrayBuffer | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | string | StreamSource;

export const CONTENT_TYPES: Record<DatasetFormat, string> = {
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
};

export interface PreparedBody {
  body: Blob | ReadableStream<Uint8Array>;
  /** true: a one-shot stream (needs duplex: 'half', cannot be retried). */
  streamed: boolean;
  totalBytes: number | undefined;
  format: DatasetFormat | undefined;
  /** Call once the server has answered: reports the final progress when nothing could be counted on the way. */
  finish(): void;
}

const streamsRequestBodies = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

export function isStreamSource(value: unknown): value is StreamSource {
  return typeof value === 'object' && value !== null && 'body' in value && !(value instanceof Blob) && !(value instanceof ReadableStream);
}

export async function prepareUploadBody(source: UploadSource, onProgress?: (p: UploadProgress) => void): Promise<PreparedBody> {
  let format: DatasetFormat | undefined;
  let totalBytes: number | undefined;
  let blob: Blob | undefined;
  let stream: ReadableStream<Uint8Array> | undefined;

  if (typeof source === 'string') blob = new Blob([source]);
  else if (source instanceof Blob) blob = source;
  else if (source instanceof Uint8Array) blob = new Blob([source as Uint8Array<ArrayBuffer>]);
  else if (source instanceof ArrayBuffer) blob = new Blob([source]);
  else if (source instanceof ReadableStream) stream = source;
  else if (isStreamSource(source)) {
    format = source.format;
    totalBytes = source.size;
    stream = toStream(source.body);
  } else stream = toStream(source);

  if (blob) totalBytes = blob.size;
  if (blob && (!onProgress || !streamsRequestBodies)) return finished({ body: blob, streamed: false, totalBytes, format }, onProgress);
  if (stream && !streamsRequestBodies) {
    const gathered = await new Response(stream).blob();
    return finished({ body: gathered, streamed: false, totalBytes: gathered.size, format }, onProgress);
  }
  const counted = countBytes(stream ?? blob!.stream(), totalBytes, onProgress);
  return { body: counted, streamed: true, totalBytes, format, finish: () => undefined };
}

function finished(body: Omit<PreparedBody, 'finish'>, onProgress?: (p: UploadProgress) => void): PreparedBody {
  onProgress?.({ bytesSent: 0, totalBytes: body.totalBytes });
  return { ...body, finish: () => onProgress?.({ bytesSent: body.totalBytes ?? 0, totalBytes: body.totalBytes }) };
}

function toStream(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  if (source instanceof ReadableStream) return source;
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

function countBytes(source: ReadableStream<Uint8Array>, totalBytes: number | undefined, onProgress?: (p: UploadProgress) => void): ReadableStream<Uint8Array> {
  let bytesSent = 0;
  onProgress?.({ bytesSent, totalBytes });
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        controller.enqueue(chunk);
        bytesSent += chunk.byteLength;
        onProgress?.({ bytesSent, totalBytes });
      },
    }),
  );
}
