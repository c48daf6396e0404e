// The feature store's coded errors. `statusCode` and `errors` (every offending field) are read by the
// gateway's problem+json handler; messages say what to do next.
export interface FeatureFieldError {
  /** Path of the offending field, e.g. `/body/features/2/type` or `/body/entityKeys/7`. */
  field: string;
  message: string;
}

export class FeatureStoreError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    readonly errors?: FeatureFieldError[],
  ) {
    super(message);
    this.name = 'FeatureStoreError';
  }
}

/** A 400 naming every bad field. */
export function invalid(code: string, errors: FeatureFieldError[], message?: string): FeatureStoreError {
  return new FeatureStoreError(code, 400, message ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

export const FeatureErrors = {
  entityNotFound: (field: string, name: string) =>
    new FeatureStoreError('ATL_ENTITY_NOT_FOUND', 400, `${field}: entity '${name}' does not exist; create it with POST …/entities first.`, [
      { field, message: `entity '${name}' does not exist` },
    ]),
  datasetNotFound: (field: string, name: string, version?: number) =>
    new FeatureStoreError(
      'ATL_DATASET_NOT_FOUND',
      400,
      `${field}: dataset '${name}'${version === undefined ? ' has no versions' : ` has no version ${version}`}; upload it first.`,
      [{ field, message: version === undefined ? `dataset '${name}' has no versions` : `dataset '${name}' has no version ${version}` }],
    ),
  viewNotFound: (field: string, ref: string) =>
    new FeatureStoreError('ATL_FEATURE_VIEW_NOT_FOUND', 404, `${field}: feature view '${ref}' does not exist.`, [
      { field, message: `feature view '${ref}' does not exist` },
    ]),
  notMaterialized: (field: string, ref: string) =>
    new FeatureStoreError(
      'ATL_FEATURE_VIEW_NOT_MATERIALIZED',
      409,
      `${field}: feature view '${ref}' has no complete materialization; POST …/feature-views/{name}/materialize first.`,
      [{ field, message: `feature view '${ref}' is not materialized` }],
    ),
  mixedTimestamps: (field: string, column: string, formats: string[], examples: string[]) =>
    new FeatureStoreError(
      'ATL_MIXED_TIMESTAMP_FORMATS',
      400,
      `Column '${column}' mixes timestamp formats (${formats.join(', ')}; e.g. ${examples.map((e) => JSON.stringify(e)).join(', ')}). ` +
        'Write every timestamp of one column in one format (ISO 8601 preferred) and upload a new dataset version.',
      [{ field, message: `column '${column}' mixes timestamp formats: ${formats.join(', ')}` }],
    ),
  badTimestamps: (field: string, column: string, examples: string[]) =>
    new FeatureStoreError(
      'ATL_INVALID_TIMESTAMPS',
      400,
      `Column '${column}' has values that are not timestamps (e.g. ${examples.map((e) => JSON.stringify(e)).join(', ')}). ` +
        'Use ISO 8601 (2024-05-01T12:00:00Z), a date, or epoch seconds/milliseconds.',
      [{ field, message: `column '${column}' has values that are not timestamps` }],
    ),
} as const;
