// Value types of join keys and features, how they map to DuckDB, and how a dataset version's stored
// schema is read to check a view against it.
import type { FeatureValueType, TypedColumn } from '@atelier/catalog';

export const FEATURE_VALUE_TYPES: readonly FeatureValueType[] = ['int', 'float', 'string', 'bool', 'timestamp'];

/** The DuckDB type a declared type is cast to. */
export const DUCKDB_TYPE: Record<FeatureValueType, string> = {
  int: 'BIGINT',
  float: 'DOUBLE',
  string: 'VARCHAR',
  bool: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
};

/** A source column's type, folded into our families; 'unknown' when we cannot tell. */
export type SourceTypeFamily = FeatureValueType | 'date' | 'unknown';

/** Fold a type name as written by the datasets profiler or DuckDB (`BIGINT`, `integer`, `DOUBLE`, `string`…). */
export function typeFamily(typeName: string): SourceTypeFamily {
  const t = typeName.trim().toLowerCase();
  if (/^(u?(tiny|small|big|huge)?int(eger)?\d*|int\d+|long|short|u?hugeint|integer)$/.test(t)) return 'int';
  if (/^(float\d*|double|real|decimal.*|numeric.*|number)$/.test(t)) return 'float';
  if (/^(bool(ean)?)$/.test(t)) return 'bool';
  if (/^(varchar.*|text|string|char.*|utf8|uuid|categorical|category)$/.test(t)) return 'string';
  if (/^(timestamp.*|datetime.*)$/.test(t)) return 'timestamp';
  if (t === 'date') return 'date';
  return 'unknown';
}

/** Can a source column of this family be served as the declared type? Undefined = yes; else why not. */
export function typeMismatch(declared: FeatureValueType, source: SourceTypeFamily): string | undefined {
  if (source === 'unknown') return undefined;
  const ok: Record<FeatureValueType, SourceTypeFamily[]> = {
    int: ['int'],
    float: ['int', 'float'],
    string: ['string', 'int', 'float', 'bool', 'timestamp', 'date'],
    bool: ['bool'],
    timestamp: ['timestamp', 'date'],
  };
  return ok[declared].includes(source) ? undefined : `is declared ${declared} but the dataset column is ${source}`;
}

/**
 * Columns of a dataset version's stored schema: accepts `[{name, type}]` and `{columns: [...]}` /
 * `{fields: [...]}` shapes. Returns undefined when the schema lists no columns we can read.
 */
export function schemaColumns(schema: unknown): Array<{ name: string; type: string }> | undefined {
  const list = Array.isArray(schema)
    ? schema
    : schema && typeof schema === 'object'
      ? ((schema as { columns?: unknown }).columns ?? (schema as { fields?: unknown }).fields)
      : undefined;
  if (!Array.isArray(list)) return undefined;
  const out: Array<{ name: string; type: string }> = [];
  for (const c of list) {
    if (!c || typeof c !== 'object') continue;
    const name = (c as { name?: unknown }).name;
    const type = (c as { type?: unknown }).type ?? (c as { duckdbType?: unknown }).duckdbType ?? (c as { logicalType?: unknown }).logicalType;
    if (typeof name === 'string') out.push({ name, type: typeof type === 'string' ? type : 'unknown' });
  }
  return out.length ? out : undefined;
}

export type { FeatureValueType, TypedColumn };
