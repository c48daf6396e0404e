// Column types as users see them, the inferred schema of a version, an optional declared schema with
// constraints (checked at upload), and the schema evolution between consecutive versions.
import { DatasetErrors, type DatasetIssue } from './datasets.errors.js';

export type LogicalType = 'integer' | 'float' | 'boolean' | 'string' | 'date' | 'timestamp' | 'other';

export const DECLARABLE_TYPES = ['integer', 'float', 'boolean', 'string', 'date', 'timestamp'] as const;
export type DeclarableType = (typeof DECLARABLE_TYPES)[number];

/** The DuckDB type a declared type is read as. */
export const DUCKDB_TYPE_OF: Record<DeclarableType, string> = {
  integer: 'BIGINT',
  float: 'DOUBLE',
  boolean: 'BOOLEAN',
  string: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

export function logicalTypeOf(duckdbType: string): LogicalType {
  const t = duckdbType.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(t)) return 'integer';
  if (/^(FLOAT|DOUBLE|REAL)$/.test(t) || t.startsWith('DECIMAL')) return 'float';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'VARCHAR' || t === 'UUID') return 'string';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return 'other';
}

export function isNumeric(type: LogicalType): boolean {
  return type === 'integer' || type === 'float';
}

/** One column of a version's inferred schema. */
export interface ColumnSchema {
  name: string;
  type: LogicalType;
  /** The exact DuckDB type it was read as (e.g. BIGINT, DOUBLE, VARCHAR, STRUCT(…)). */
  duckdbType: string;
  /** True when the column holds at least one null (or was declared nullable). */
  nullable: boolean;
}

export interface DeclaredColumn {
  name: string;
  type?: DeclarableType;
  /** Default false: nulls allowed. */
  notNull?: boolean;
  /** Inclusive bounds, numeric columns only. */
  min?: number;
  max?: number;
  /** The only values allowed (compared as text: `"1"` and `1` are the same). */
  allowedValues?: Array<string | number | boolean>;
}

export interface DeclaredSchema {
  columns: DeclaredColumn[];
  /** When true, columns the file has but the schema does not declare are an error. Default false. */
  strict?: boolean;
}

export interface VersionSchema {
  columns: ColumnSchema[];
  /** The schema the upload declared, when it did. */
  declared?: DeclaredSchema;
}

export interface SchemaEvolution {
  /** The version compared with (the one before), or null for version 1. */
  previousVersion: number | null;
  added: ColumnSchema[];
  removed: ColumnSchema[];
  retyped: Array<{ name: string; from: LogicalType; to: LogicalType; fromDuckdbType: string; toDuckdbType: string }>;
  /** True when nothing was added, removed or retyped. */
  unchanged: boolean;
}

export function schemaEvolution(previous: { version: number; schema: VersionSchema } | undefined, current: VersionSchema): SchemaEvolution {
  if (!previous) return { previousVersion: null, added: [], removed: [], retyped: [], unchanged: true };
  const before = new Map(previous.schema.columns.map((c) => [c.name, c]));
  const after = new Map(current.columns.map((c) => [c.name, c]));
  const added = current.columns.filter((c) => !before.has(c.name));
  const removed = previous.schema.columns.filter((c) => !after.has(c.name));
  const retyped: SchemaEvolution['retyped'] = [];
  for (const c of current.columns) {
    const old = before.get(c.name);
    if (old && old.duckdbType !== c.duckdbType) {
      retyped.push({ name: c.name, from: old.type, to: c.type, fromDuckdbType: old.duckdbType, toDuckdbType: c.duckdbType });
    }
  }
  return {
    previousVersion: previous.version,
    added,
    removed,
    retyped,
    unchanged: added.length === 0 && removed.length === 0 && retyped.length === 0,
  };
}

const COLUMN_KEYS = new Set(['name', 'type', 'notNull', 'min', 'max', 'allowedValues']);

/** Checks a declared schema from a request (JSON); every problem is reported, with its path. */
export function parseDeclaredSchema(input: unknown, where = 'schema'): DeclaredSchema {
  const issues: DatasetIssue[] = [];
  const fail = (field: string, message: string) => issues.push({ field: `${where}${field}`, message });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw DatasetErrors.badSchema([{ field: where, message: 'must be an object { columns: [...], strict? }' }]);
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (key !== 'columns' && key !== 'strict') fail(`/${key}`, 'is not a known field');
  if (raw.strict !== undefined && typeof raw.strict !== 'boolean') fail('/strict', 'must be a boolean');
  if (!Array.isArray(raw.columns) || raw.columns.length === 0) {
    fail('/columns', 'must be a non-empty array');
    throw DatasetErrors.badSchema(issues);
  }
  const seen = new Set<string>();
  const columns: DeclaredColumn[] = [];
  raw.columns.forEach((c: unknown, i: number) => {
    const at = `/columns/${i}`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return fail(at, 'must be an object');
    const col = c as Record<string, unknown>;
    for (const key of Object.keys(col)) if (!COLUMN_KEYS.has(key)) fail(`${at}/${key}`, 'is not a known field');
    if (typeof col.name !== 'string' || col.name.length === 0) return fail(`${at}/name`, 'must be a non-empty string');
    if (seen.has(col.name)) fail(`${at}/name`, `'${col.name}' is declared twice`);
    seen.add(col.name);
    const out: DeclaredColumn = { name: col.name };
    if (col.type !== undefined) {
      if (!(DECLARABLE_TYPES as readonly unknown[]).includes(col.type)) fail(`${at}/type`, `must be one of ${DECLARABLE_TYPES.join(', ')}`);
      else out.type = col.type as DeclarableType;
    }
    if (col.notNull !== undefined) {
      if (typeof col.notNull !== 'boolean') fail(`${at}/notNull`, 'must be a boolean');
      else out.notNull = col.notNull;
    }
    for (const bound of ['min', 'max'] as const) {
      if (col[bound] === undefined) continue;
      if (typeof col[bound] !== 'number' || !Number.isFinite(col[bound])) fail(`${at}/${bound}`, 'must be a finite number');
      else if (out.type && out.type !== 'integer' && out.type !== 'float') fail(`${at}/${bound}`, `needs a numeric column (type is ${out.type})`);
      else out[bound] = col[bound] as number;
    }
    if (out.min !== undefined && out.max !== undefined && out.min > out.max) fail(`${at}/min`, 'must be at most max');
    if (col.allowedValues !== undefined) {
      const values = col.allowedValues;
      if (!Array.isArray(values) || values.length === 0 || !values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
        fail(`${at}/allowedValues`, 'must be a non-empty array of strings, numbers or booleans');
      } else out.allowedValues = values as Array<string | number | boolean>;
    }
    columns.push(out);
  });
  if (issues.length > 0) throw DatasetErrors.badSchema(issues);
  return { columns, ...(raw.strict !== undefined && { strict: raw.strict as boolean }) };
}
