// Request validation, the same on every Atelier HTTP server: the gateway and the serving node compile
// the contracts' schemas with these two ajv instances and report failures with the same field list,
// so one request is refused identically by both. Bodies are validated strictly (no type coercion,
// unknown fields rejected, every error reported); path params and query strings, which are always
// text, are coerced to the declared types.
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyError, FastifySchemaCompiler } from 'fastify';
import type { ProblemFieldError } from './problem.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// strictNumbers: `strict: false` would also let Infinity through (JSON reads 1e400 as Infinity), and it
// would be stored as null.
const shared: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false, strictNumbers: true };

export function createValidatorCompiler(): FastifySchemaCompiler<any> {
  const strict = addFormats(new Ajv({ ...shared, coerceTypes: false }));
  const coercing = addFormats(new Ajv({ ...shared, coerceTypes: 'array' }));
  return ({ schema, httpPart }) => {
    // A raw file body (`format: binary`: a CSV, Parquet or ONNX upload) reaches the handler as a stream;
    // the schema documents the media type and the route's service checks the bytes.
    if (httpPart === 'body' && (schema as { format?: string }).format === 'binary') return () => true;
    return (httpPart === 'body' ? strict : coercing).compile(schema);
  };
}

function fieldPath(part: string, instancePath: string, params: Record<string, unknown>): string {
  let path = `/${part}${instancePath}`;
  if (params.missingProperty) path += `/${String(params.missingProperty)}`;
  if (params.additionalProperty) path += `/${String(params.additionalProperty)}`;
  return path;
}

/** Every offending field of a Fastify validation error, as `/body/...` (or `/params/...`, `/querystring/...`). */
export function validationFieldErrors(error: FastifyError): ProblemFieldError[] {
  const part = (error as { validationContext?: string }).validationContext ?? 'body';
  return (error.validation ?? []).map((v) => {
    const params = (v.params ?? {}) as Record<string, unknown>;
    let message = v.message ?? 'is invalid';
    if (params.additionalProperty) message = 'is not a known field';
    else if (params.missingProperty) message = 'is required';
    else if (params.allowedValues) message = `must be one of ${(params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    return { field: fieldPath(part, v.instancePath ?? '', params), message };
  });
}

/** The detail line of a validation problem: every field and its message. */
export function validationDetail(errors: readonly ProblemFieldError[]): string {
  return `The request is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`;
}
