// Shared TypeBox schemas: the single source for validation, TypeScript types and the OpenAPI document.
import { Type } from 'typebox';

// Names and int4 integers are the contracts' (every process checks them alike).
import { INT4_MAX, Int32, ResourceName, VersionNumber } from '@atelier/contracts';
export { INT4_MAX, Int32, ResourceName, VersionNumber };

export const Uuid = Type.String({ format: 'uuid' });

type IntegerOptions = NonNullable<Parameters<typeof Type.Integer>[0]>;

/** An integer that lands in a bigint (int8) column: bounded by what a JSON number holds exactly. */
export const Int53 = (options: IntegerOptions = {}) =>
  Type.Integer({ ...options, minimum: Math.max(Number.MIN_SAFE_INTEGER, Number(options.minimum ?? Number.MIN_SAFE_INTEGER)), maximum: Math.min(Number.MAX_SAFE_INTEGER, Number(options.maximum ?? Number.MAX_SAFE_INTEGER)) });

/** A timestamp in responses: handlers return Date objects, the serializer writes ISO 8601. */
export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });
export const NullableDateTime = Type.Unsafe<Date | string | null>({ type: ['string', 'null'], format: 'date-time' });

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'stable error code, e.g. ATL_PROJECT_NOT_FOUND' }),
    instance: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', description: 'RFC 9457 problem details' },
);

/** The media type every error is sent as (RFC 9457), by the problem-json plugin and the HTTP edge. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'The request is invalid: `errors` names every offending field (`/body/name`, `/querystring/limit`…).',
  401: 'No valid API key: missing, malformed, unknown, revoked or expired (`WWW-Authenticate: Bearer`).',
  403: 'The API key is valid but its role does not allow this.',
  404: 'The project or resource does not exist, or this key cannot see it.',
  409: 'The request conflicts with what exists (a name already taken, a resource still in use).',
  413: 'The body is larger than the limit for this route.',
  415: 'The Content-Type (or Content-Encoding) is not one this route accepts.',
  422: 'The content was read but cannot be used (a malformed file, a constraint violated); nothing was stored.',
  503: 'Not available right now (a full queue, serving unavailable, shutting down): retry after `Retry-After` seconds.',
  504: 'The request missed its deadline.',
};

/** A problem+json response (documented as `application/problem+json` with the Problem schema). */
export function problemResponse(status: number, description = PROBLEM_DESCRIPTIONS[status] ?? 'An error, as RFC 9457 problem details.') {
  return { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: Type.Ref('Problem') } } };
}

type ProblemResponse = ReturnType<typeof problemResponse>;

/**
 * Response map with the problem shapes every authenticated route can return. Entries of `responses`
 * that are `Type.Ref('Problem')` become problem+json responses too.
 */
export function withProblems<T extends Record<number, unknown>>(responses: T) {
  const out: Record<number, unknown> = {};
  for (const [status, schema] of Object.entries(responses)) {
    out[Number(status)] = (schema as { $ref?: string }).$ref === 'Problem' ? problemResponse(Number(status)) : schema;
  }
  for (const status of [400, 401, 403, 404, 409]) out[status] = problemResponse(status);
  return out as { [K in keyof T]: T[K] extends { $ref: string } ? ProblemResponse : T[K] } & Record<400 | 401 | 403 | 404 | 409, ProblemResponse>;
}

/** A file sent or answered as raw bytes (never parsed as JSON: the validator lets it through as is). */
export const BinaryFile = (description: string) => Type.Unsafe<unknown>({ type: 'string', format: 'binary', description });

/** A response with no body (204, 304). */
export const NoContent = (description: string): { type: string; description: string } => ({ type: 'null', description });

/** Public routes (health, metrics, the document): no credentials. */
export const publicSecurity: Array<Record<string, string[]>> = [];

export const ProjectParams = Type.Object({ project: ResourceName }, { additionalProperties: false });

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Int32({ minimum: 1, maximum: 500, default: 100 })),
    after: Type.Optional(Type.String({ description: 'cursor: the last item of the previous page' })),
  },
  { additionalProperties: false },
);

export const bearerSecurity = [{ bearerAuth: [] }];
