// The file formats a dataset version may have, and how they map to HTTP content types and file names.
import { DATASET_FILE_EXTENSIONS, type DatasetFileFormat } from '@atelier/contracts';

export type { DatasetFileFormat };

export const DATASET_FORMATS: readonly DatasetFileFormat[] = ['csv', 'jsonl', 'parquet'];

export const CONTENT_TYPE_OF: Record<DatasetFileFormat, string> = {
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
};

/** The artifact key layout's extensions (contracts) are the file names' too. */
export const EXTENSION_OF: Record<DatasetFileFormat, string> = DATASET_FILE_EXTENSIONS;

/** Media types accepted for raw uploads, and the format each implies (octet-stream needs `?format=`). */
export const UPLOAD_MEDIA_TYPES: Record<string, DatasetFileFormat | undefined> = {
  'text/csv': 'csv',
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/x-jsonlines': 'jsonl',
  'application/vnd.apache.parquet': 'parquet',
  'application/octet-stream': undefined,
};

export function isDatasetFormat(value: unknown): value is DatasetFileFormat {
  return typeof value === 'string' && (DATASET_FORMATS as readonly string[]).includes(value);
}

/** Whether the format is text that must be valid UTF-8. */
export function isTextFormat(format: DatasetFileFormat): boolean {
  return format !== 'parquet';
}
