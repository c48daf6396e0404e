// Column helpers shared by the table types. jsonb is always written as a JSON string: `pg` would turn
// a JS array into a Postgres array, so repositories serialize explicitly (see `json()`).
import type { ColumnType, Generated } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
export type Json<T> = ColumnType<T, string, string>;
export type JsonWithDefault<T> = ColumnType<T, string | undefined, string>;
export type BigSerial = Generated<number>;

/** Serialize a value for a jsonb column. */
export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}
