// The datasets' coded errors. `statusCode` and `errors` are read by the gateway's problem+json mapper
// (codes starting with ATL_ keep their status; `errors` lists the offending fields / lines).
export interface DatasetIssue {
  /** Where: `line 4, column 'age'`, `/query/format`, `column 'price'`… */
  field: string;
  message: string;
}

export class DatasetError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly errors?: DatasetIssue[],
  ) {
    super(message);
    this.name = 'DatasetError';
  }
}

export const DatasetErrors = {
  datasetNotFound: (name: string) =>
    new DatasetError('ATL_DATASET_NOT_FOUND', 404, `Dataset '${name}' does not exist in this project. Create it with POST …/datasets.`),
  versionNotFound: (name: string, version: number | string) =>
    new DatasetError(
      'ATL_DATASET_VERSION_NOT_FOUND',
      404,
      `Dataset '${name}' has no version ${version}. List its versions with GET …/datasets/${name}/versions.`,
    ),
  badRequest: (message: string, errors?: DatasetIssue[]) => new DatasetError('ATL_DATASET_BAD_REQUEST', 400, message, errors),
  badSchema: (errors: DatasetIssue[]) =>
    new DatasetError(
      'ATL_DATASET_SCHEMA_INVALID',
      400,
      `The declared schema is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      errors,
    ),
  /** The file cannot be read as its format (ragged rows, bad quoting, bad encoding, empty…). */
  malformed: (format: string, reason: string, errors: DatasetIssue[]) =>
    new DatasetError(
      'ATL_DATASET_MALFORMED',
      422,
      `The ${format} file is malformed: ${reason}. Nothing was registered; fix the file and upload it again.`,
      errors,
    ),
  /** The file reads, but breaks the declared schema or constraints. */
  constraintViolation: (errors: DatasetIssue[]) =>
    new DatasetError(
      'ATL_DATASET_CONSTRAINT_VIOLATION',
      422,
      `The file breaks the declared schema: ${errors
        .slice(0, 5)
        .map((e) => `${e.field}: ${e.message}`)
        .join('; ')}${errors.length > 5 ? '; …' : ''}. Nothing was registered.`,
      errors,
    ),
  tooLarge: (limitBytes: number) =>
    new DatasetError(
      'ATL_BODY_TOO_LARGE',
      413,
      `The upload is larger than the limit of ${limitBytes} bytes (ATELIER_DATASET_UPLOAD_LIMIT_BYTES).`,
    ),
  /** A bound of the datasets config (columns, nesting, DuckDB memory); `setting` names its env var. */
  limitExceeded: (reason: string, setting: string, issue: DatasetIssue) =>
    new DatasetError(
      'ATL_DATASET_LIMIT_EXCEEDED',
      422,
      `The file exceeds a limit of this server: ${reason} (${setting}). Nothing was registered; split or flatten the file.`,
      [issue],
    ),
  /** The same bytes are already a version of the dataset, in another format. */
  formatConflict: (name: string, version: number, existing: string, declared: string) =>
    new DatasetError(
      'ATL_DATASET_FORMAT_CONFLICT',
      409,
      `These bytes are already version ${version} of dataset '${name}' as ${existing}; the same bytes cannot also be ${declared}. ` +
        `Use version ${version}, or upload them as ${existing}.`,
      [{ field: '/query/format', message: `the same bytes are version ${version} as ${existing}` }],
    ),
  /** A source that is not a version of this project: the same answer whether it exists elsewhere or not. */
  sourceNotFound: (field: string, value: string) =>
    new DatasetError(
      'ATL_DATASET_SOURCE_NOT_FOUND',
      404,
      `No dataset version of this project has ${field === '/body/sourceVersionId' ? 'the id' : 'the key'} '${value}'. ` +
        'A version can only be made from bytes uploaded to this project: name one of its versions by id (sourceVersionId), ' +
        'or upload the file as the request body.',
      [{ field, message: 'is not a dataset version of this project' }],
    ),
} as const;
