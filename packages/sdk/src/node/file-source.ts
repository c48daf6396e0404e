// Node: a dataset file as an upload source — a byte stream (never read whole into memory), its size
// (so progress has a total) and its format from the extension.
import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import type { Atelier } from '../atelier.js';
import { AtelierError, CLIENT_ERROR_CODES } from '../atelier-error.js';
import type { UploadOptions } from '../resources/datasets.resource.js';
import type { UploadResultView } from '../schemas.js';
import type { DatasetFormat, StreamSource } from '../upload-body.js';

const EXTENSIONS: Record<string, DatasetFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.parquet': 'parquet' };

/** The format a file name implies (.csv, .jsonl / .ndjson, .parquet), or undefined. */
export function formatFromPath(path: string): DatasetFormat | undefined {
  return EXTENSIONS[extname(path).toLowerCase()];
}

export function fileSource(path: string, opts: { format?: DatasetFormat } = {}): StreamSource & { size: number; name: string } {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a regular file');
    size = stat.size;
  } catch (err) {
    throw new AtelierError({ status: 0, code: CLIENT_ERROR_CODES.fileUnreadable, title: 'Cannot read file', detail: `${path}: ${(err as Error).message}`, errors: [{ field: 'path', message: (err as Error).message }], cause: err });
  }
  const format = opts.format ?? formatFromPath(path);
  if (!format) {
    throw new AtelierError({
      status: 0,
      code: 'ATL_VALIDATION_FAILED',
      title: 'Unknown file format',
      detail: `${path}: the extension says neither .csv, .jsonl/.ndjson nor .parquet; pass { format }`,
      errors: [{ field: 'format', message: 'csv | jsonl | parquet' }],
    });
  }
  // Opened lazily: a source that is never uploaded holds no file descriptor.
  let stream: ReadableStream<Uint8Array> | undefined;
  const open = () => (stream ??= Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>);
  const body: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => {
      const reader = open().getReader();
      return {
        next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
        return: async () => {
          await reader.cancel();
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { body, size, format, name: basename(path) };
}

/** `atl.datasets.upload(name, fileSource(path), opts)` in one call. */
export function uploadFile(atl: Atelier, dataset: string, path: string, opts: UploadOptions = {}): Promise<UploadResultView> {
  return atl.datasets.upload(dataset, fileSource(path, { format: opts.format }), opts);
}
