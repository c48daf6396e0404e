// Catalog's coded errors. The gateway maps `code` to an HTTP status; the message says what to do next.
export class CatalogError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}

/** A row that must exist does not (a project, a key, a model version…). */
export class NotFoundError extends CatalogError {
  constructor(resource: string, id: string, code = `ATL_${resource.toUpperCase().replace(/[^A-Z]+/g, '_')}_NOT_FOUND`) {
    super(code, `${resource} '${id}' was not found`, { resource, id });
    this.name = 'NotFoundError';
  }
}

/** A unique name or state rule was violated (a project name taken, an alias in use…). */
export class ConflictError extends CatalogError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
    this.name = 'ConflictError';
  }
}

const UNIQUE_VIOLATION = '23505';
export function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === UNIQUE_VIOLATION;
}
