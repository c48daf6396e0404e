// Scalar shapes every contract is built from: names in URLs and integers that land in int4 columns.
import { Type } from 'typebox';

/** Resource names in URLs: lowercase kebab/snake, 1–63 chars, starting with a letter. */
export const ResourceName = Type.String({
  pattern: '^[a-z][a-z0-9_-]{0,62}$',
  description: 'lowercase letters, digits, - and _; starts with a letter; at most 63 characters',
});

type IntegerOptions = NonNullable<Parameters<typeof Type.Integer>[0]>;

/** Largest value of a Postgres `integer` (int4) column. */
export const INT4_MAX = 2_147_483_647;

/**
 * An integer that lands in an int4 column (versions, revisions, ttlSeconds) or in engine code that
 * indexes with Int32Array: bounded here so a too-large number is a 400 naming the field, not a 500
 * from Postgres. Narrow the range with options; it never widens past int4.
 */
export const Int32 = (options: IntegerOptions = {}) =>
  Type.Integer({ ...options, minimum: Math.max(-INT4_MAX - 1, Number(options.minimum ?? -INT4_MAX - 1)), maximum: Math.min(INT4_MAX, Number(options.maximum ?? INT4_MAX)) });

/** A version (or revision) number: 1 … int4 max, the type of every version column. */
export const VersionNumber = (options: IntegerOptions = {}) => Int32({ ...options, minimum: 1 });
