// Two ajv instances: bodies are validated strictly (no type coercion, unknown fields rejected, every
// error reported), while path params and query strings, which are always text, are coerced to the
// declared types.
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// strictNumbers: `strict: false` would also let Infinity through (JSON reads 1e400 as Infinity), and it
// would be stored as null.
const shared: Options = { allErrors: true, removeAdditional: false, useDefaults: true, strict: false, strictNumbers: true };

export function createValidatorCompiler(): FastifySchemaCompiler<any> {
  const strict = addFormats(new Ajv({ ...shared, coerceTypes: false }));
  const coercing = addFormats(new Ajv({ ...shared, coerceTypes: 'array' }));
  return ({ schema, httpPart }) => {
    // A raw file body (`BinaryFile`: a CSV, Parquet or ONNX upload) reaches the handler as a stream; the
    // schema documents the media type and the route's service checks the bytes.
    if (httpPart === 'body' && (schema as { format?: string }).format === 'binary') return () => true;
    return (httpPart === 'body' ? strict : coercing).compile(schema);
  };
}
