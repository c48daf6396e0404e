// Shared TypeBox schemas: the single source for validation, TypeScript types and the OpenAPI document.
import { Type, type TSchema } from 'typebox';

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

/** Response map with the problem shapes every authenticated route can return. */
export function withProblems<T extends Record<number, TSchema>>(responses: T) {
  const problem = Type.Ref('Problem');
  return { ...responses, 400: problem, 401: problem, 403: problem, 404: problem, 409: problem } as T & Record<400 | 401 | 403 | 404 | 409, TSchema>;
}

export const ProjectParams = Type.Object({ project: ResourceName }, { additionalProperties: false });

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Int32({ minimum: 1, maximum: 500, default: 100 })),
    after: Type.Optional(Type.String({ description: 'cursor: the last item of the previous page' })),
  },
  { additionalProperties: false },
);

export const bearerSecurity = [{ bearerAuth: [] }];
