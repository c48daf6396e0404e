// Reads a local dataset file with DuckDB, rejects it when it is malformed or breaks a declared schema
// (naming line and column), and profiles it: schema, row count and per-column statistics.
//
// One pass in the common case: the file is loaded into a DuckDB table (bounded memory_limit; DuckDB
// spills to its temp directory beyond it) with CSV strict mode and `store_rejects`, so every bad row is
// recorded with its line and column; the profile then runs as a few aggregate queries over that table.
import { stat } from 'node:fs/promises';
import { DuckDbSession, sqlIdentifier, sqlLiteral, type DuckDbSessionOptions } from '../duckdb/duckdb-session.js';
import type { DatasetFileFormat } from './dataset-format.js';
import { DatasetErrors, DatasetError, type DatasetIssue } from './datasets.errors.js';
import {
  DUCKDB_TYPE_OF,
  isNumeric,
  logicalTypeOf,
  type ColumnSchema,
  type DeclaredSchema,
  type LogicalType,
  type VersionSchema,
} from './dataset-schema.js';
import { findInvalidUtf8, firstBadJsonLine, readCsvHeader } from './text-checks.js';

export interface NumericHistogram {
  kind: 'numeric';
  /** Equal-width bins over [min, max]; integer columns use half-open bins over [min, max + 1). */
  bins: Array<{ lower: number; upper: number; count: number }>;
  /** NaN / ±Infinity values (float columns), not in any bin. */
  nonFiniteCount: number;
}

export interface CategoricalHistogram {
  kind: 'categorical';
  /** The most frequent values (most frequent first), and how many non-null values are none of them. */
  buckets: Array<{ value: string; count: number }>;
  otherCount: number;
}

export interface ColumnProfile {
  name: string;
  type: LogicalType;
  duckdbType: string;
  /** Non-null values. */
  count: number;
  nullCount: number;
  nullFraction: number;
  /** HyperLogLog estimate (DuckDB approx_count_distinct). */
  approxDistinct: number;
  /** Numbers for numeric columns, text for the others; null when the column is all null. */
  min: number | string | null;
  max: number | string | null;
  /** Numeric columns only (finite values). */
  mean: number | null;
  /** Sample standard deviation; numeric columns only. */
  stddev: number | null;
  /** Most frequent values with counts; empty for numeric columns with more than TOP_VALUES_MAX_DISTINCT values. */
  topValues: Array<{ value: string; count: number }>;
  histogram: NumericHistogram | CategoricalHistogram | null;
}

export interface DatasetProfile {
  rowCount: number;
  columnCount: number;
  columns: ColumnProfile[];
  engine: { name: 'duckdb'; topK: number; histogramBins: number };
}

export interface DatasetAnalysis {
  schema: VersionSchema;
  rowCount: number;
  profile: DatasetProfile;
}

export interface AnalyzeOptions {
  format: DatasetFileFormat;
  declared?: DeclaredSchema;
  duckdb?: DuckDbSessionOptions;
  /** The most columns accepted (ATELIER_DATASET_MAX_COLUMNS). Default: no limit. */
  maxColumns?: number;
  /** Most issues reported in one error. Default 20. */
  maxIssues?: number;
  /** Equal-width bins of numeric histograms. Default 20. */
  histogramBins?: number;
  /** Values in categorical histograms (top values show the first 10). Default 20. */
  topK?: number;
}

const TOP_VALUES_SHOWN = 10;
const TOP_VALUES_MAX_DISTINCT = 10_000;
const REJECTS_LIMIT = 1000;
/** The CSV dialect Atelier accepts (RFC 4180): pinned, so a malformed file is an error, not a new guess. */
const CSV_DIALECT = `delim=',', quote='"', escape='"', header=true`;

/** How a location in the file is named in errors: CSV line numbers count the header as line 1. */
function rowLabel(format: DatasetFileFormat, rowIndex: number): string {
  if (format === 'csv') return `line ${rowIndex + 2}`;
  if (format === 'jsonl') return `line ${rowIndex + 1}`;
  return `row ${rowIndex + 1}`;
}

/** DuckDB messages name the server-side file; clients must not see our paths. */
function scrub(message: string, path: string): string {
  return message
    .replaceAll(path, 'the file')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('LINE ') && !l.startsWith('^') && !l.startsWith('Possible Solution') && !l.startsWith('*'))
    .slice(0, 3)
    .join(' ');
}

function duckdbColumns(columns: Array<{ name: string; duckdbType: string }>): string {
  return `{${columns.map((c) => `${sqlLiteral(c.name)}: ${sqlLiteral(c.duckdbType)}`).join(', ')}}`;
}

/** The DuckDB table function that reads a stored version with its recorded schema (for previews, joins…). */
export function datasetReaderSql(path: string, format: DatasetFileFormat, schema?: VersionSchema): string {
  const file = sqlLiteral(path);
  if (format === 'csv') {
    if (!schema) return `read_csv(${file}, ${CSV_DIALECT})`;
    return `read_csv(${file}, ${CSV_DIALECT}, auto_detect=false, strict_mode=true, columns=${duckdbColumns(schema.columns)})`;
  }
  if (format === 'jsonl') {
    if (!schema) return `read_json(${file}, format='newline_delimited')`;
    return `read_json(${file}, format='newline_delimited', columns=${duckdbColumns(schema.columns)})`;
  }
  return `read_parquet(${file})`;
}

export async function analyzeDatasetFile(path: string, opts: AnalyzeOptions): Promise<DatasetAnalysis> {
  const { format } = opts;
  const maxIssues = opts.maxIssues ?? 20;
  const size = (await stat(path)).size;
  if (size === 0) throw DatasetErrors.malformed(format, 'the file is empty', [{ field: 'line 1', message: 'the file has no bytes' }]);

  const db = await DuckDbSession.open(opts.duckdb ?? {});
  try {
    // Each loader validates the file and defines the view `src` over it, with final column types.
    const maxColumns = opts.maxColumns ?? Number.MAX_SAFE_INTEGER;
    const { rowCount, base, stats } =
      format === 'csv'
        ? await loadCsv(db, path, opts.declared, maxIssues, maxColumns)
        : format === 'jsonl'
          ? await loadJsonl(db, path)
          : await loadParquet(db, path, maxColumns);
    if (rowCount === 0) {
      const what = format === 'csv' ? 'it has a header but no data rows' : 'it has no rows';
      throw DatasetErrors.malformed(format, what, [{ field: format === 'csv' ? 'line 2' : 'line 1', message: what }]);
    }
    if (opts.declared) await checkDeclared(db, format, base, opts.declared, maxIssues);

    const described = await db.describe('SELECT * FROM src');
    if (described.length > maxColumns) throw tooManyColumns(described.length, maxColumns);
    const profile = await profileSource(db, described, rowCount, opts.histogramBins ?? 20, opts.topK ?? 20, stats);
    const notNull = new Set((opts.declared?.columns ?? []).filter((c) => c.notNull).map((c) => c.name));
    const columns: ColumnSchema[] = profile.columns.map((c) => ({
      name: c.name,
      type: c.type,
      duckdbType: c.duckdbType,
      nullable: !notNull.has(c.name),
    }));
    const result = { schema: { columns, ...(opts.declared && { declared: opts.declared }) }, rowCount, profile };
    refuseNulCharacters(format, result);
    return result;
  } catch (err) {
    throw asClientError(err, format, path, opts.duckdb?.memoryLimitMb);
  } finally {
    db.close();
  }
}

/** DuckDB's error classes that mean our SQL is wrong, whatever the file: those stay server errors. */
const DUCKDB_ERRORS_FROM_OUR_SQL = new Set(['Parser', 'Catalog', 'Not implemented']);

/**
 * What DuckDB could not read, convert or fit while reading a client's file is the file's fault (the
 * formats, queries and types are pinned): a 422 with DuckDB's reason, scrubbed of our paths. A DuckDB
 * message starts with its error class (`Invalid Error: TProtocolException…`, `Conversion Error: …`).
 */
function asClientError(err: unknown, format: DatasetFileFormat, path: string, memoryLimitMb = 512): unknown {
  if (err instanceof DatasetError) return err;
  const raw = (err as Error)?.message ?? '';
  const kind = /^([A-Z][A-Za-z]*(?: [A-Za-z]+)*) Error: /.exec(raw)?.[1];
  if (kind === undefined || DUCKDB_ERRORS_FROM_OUR_SQL.has(kind)) return err;
  const message = scrub(raw, path);
  if (kind === 'Out of Memory') {
    return DatasetErrors.limitExceeded(`reading it needs more than ${memoryLimitMb} MiB of DuckDB memory`, 'ATELIER_DUCKDB_MEMORY_LIMIT_MB', {
      field: 'file',
      message,
    });
  }
  const line = /line:? (\d+)/i.exec(message)?.[1];
  return DatasetErrors.malformed(format, message, [{ field: line ? `line ${line}` : 'file', message }]);
}

function tooManyColumns(count: number, maxColumns: number): DatasetError {
  return DatasetErrors.limitExceeded(`it has ${count} columns, more than ${maxColumns}`, 'ATELIER_DATASET_MAX_COLUMNS', {
    field: 'file',
    message: `${count} columns; at most ${maxColumns}`,
  });
}

/**
 * Text with NUL characters cannot be stored in the profile (Postgres text and jsonb refuse U+0000), and
 * no reader downstream expects it: columns whose name or profiled values (min, max, top values) hold one
 * are refused.
 * (CSV and JSON Lines uploads are refused earlier, with the line, by the upload guard; this catches
 * Parquet and anything the guard did not see.)
 */
function refuseNulCharacters(format: DatasetFileFormat, analysis: DatasetAnalysis): void {
  if (!holdsNul(analysis)) return;
  const issues: DatasetIssue[] = analysis.profile.columns
    .filter(holdsNul)
    .map((c) => ({ field: `column '${c.name.replaceAll('\0', '\\0')}'`, message: 'holds a NUL character (U+0000); text may not contain it' }));
  if (issues.length === 0) issues.push({ field: 'file', message: 'the schema holds a NUL character (U+0000)' });
  throw DatasetErrors.malformed(format, `${issues[0].field} holds a NUL character (U+0000)`, issues);
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (value === null || typeof value !== 'object') return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(holdsNul);
}

interface Loaded {
  rowCount: number;
  /** The relation the view `src` selects from. */
  base: string;
  /** Profile statistics already computed while validating (CSV). */
  stats?: Record<string, unknown>;
}

async function loadCsv(
  db: DuckDbSession,
  path: string,
  declared: DeclaredSchema | undefined,
  maxIssues: number,
  maxColumns: number,
): Promise<Loaded> {
  const header = await readCsvHeader(path);
  if (!header.ok) throw DatasetErrors.malformed('csv', header.reason, [{ field: 'line 1', message: header.reason }]);
  const names = header.names;
  if (names.length > maxColumns) throw tooManyColumns(names.length, maxColumns);
  if (header.restBytes === 0) {
    throw DatasetErrors.malformed('csv', 'it has a header but no data rows', [{ field: 'line 2', message: 'no data rows after the header' }]);
  }
  const issues: DatasetIssue[] = [];
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (n.trim() === '') issues.push({ field: `line 1, column ${i + 1}`, message: 'the header has an empty column name' });
    else if (seen.has(n)) issues.push({ field: `line 1, column ${i + 1}`, message: `the column name '${n}' appears twice` });
    seen.add(n);
  });
  if (issues.length) throw DatasetErrors.malformed('csv', 'the header is invalid', issues);

  const declaredType = new Map((declared?.columns ?? []).filter((c) => c.type).map((c) => [c.name, DUCKDB_TYPE_OF[c.type!]]));
  // Types: the sniffer's guess from a sample (pinned dialect), checked against every row below.
  let guessed: string[] | undefined;
  try {
    const rows = await db.all<{ Columns: Array<{ name: string; type: string }> }>(
      `SELECT Columns FROM sniff_csv(${sqlLiteral(path)}, ${CSV_DIALECT})`,
    );
    const cols = rows[0]?.Columns;
    if (cols && cols.length === names.length) guessed = cols.map((c) => c.type);
  } catch {
    // A malformed file often defeats the sniffer; read as text and let the strict scan say why.
  }
  const typesFor = (guess: (i: number) => string) =>
    names.map((name, i) => ({ name, duckdbType: declaredType.get(name) ?? guess(i) }));

  let columns = typesFor((i) => guessed?.[i] ?? 'VARCHAR');
  let scan = await validateCsv(db, path, columns, maxIssues);
  let rejects = scan.rejects;
  const structural = rejects.filter((r) => r.errorType !== 'CAST' || declaredType.has(r.columnName ?? ''));
  if (structural.length > 0) throwRejects(structural, declaredType, scan.rejectCount, maxIssues);
  if (rejects.length > 0 || !guessed) {
    // The sample mis-guessed a type (or there was no guess): infer from every row, then check again.
    const inferred = await inferCsvTypes(db, path, names, declaredType);
    columns = typesFor((i) => inferred[i]);
    scan = await validateCsv(db, path, columns, maxIssues);
    rejects = scan.rejects;
    if (rejects.length > 0) throwRejects(rejects, declaredType, scan.rejectCount, maxIssues);
  }
  const base = csvReader(path, columns);
  await db.exec(`CREATE OR REPLACE VIEW src AS SELECT * FROM ${base}`);
  return { rowCount: scan.rowCount, base, stats: scan.stats };
}

function csvReader(path: string, columns: Array<{ name: string; duckdbType: string }>, rejects = ''): string {
  return `read_csv(${sqlLiteral(path)}, ${CSV_DIALECT}, auto_detect=false, columns=${duckdbColumns(columns)}, strict_mode=true${rejects})`;
}

interface Reject {
  line: number;
  columnName: string | null;
  columnIdx: number;
  errorType: string;
  message: string;
}

/** One strict scan of every column (so every bad row and every failed cast is recorded with its line). */
async function validateCsv(
  db: DuckDbSession,
  path: string,
  columns: Array<{ name: string; duckdbType: string }>,
  maxIssues: number,
): Promise<{ rowCount: number; rejects: Reject[]; rejectCount: number; stats: Record<string, unknown> }> {
  await db.exec('DROP TABLE IF EXISTS rejects; DROP TABLE IF EXISTS rejects_scan');
  // The profile's statistics touch every column, so computing them here makes the strict scan complete.
  const selects = statsSelects(columns.map((c) => ({ name: c.name, type: c.duckdbType, logical: logicalTypeOf(c.duckdbType) })));
  const rejectsOptions = `, store_rejects=true, rejects_table='rejects', rejects_scan='rejects_scan', rejects_limit=${REJECTS_LIMIT}`;
  const [scan] = await db.all<Record<string, unknown>>(
    `SELECT count(*) AS "__rows", ${selects.join(', ')} FROM ${csvReader(path, columns, rejectsOptions)}`,
  );
  const total = Number((await db.all<{ n: bigint }>('SELECT count(*) AS n FROM rejects'))[0].n);
  const rows = await db.all<{ line: bigint; column_idx: bigint; column_name: string | null; error_type: string; error_message: string }>(
    `SELECT line, column_idx, column_name, error_type, error_message FROM rejects ORDER BY line, column_idx LIMIT ${maxIssues}`,
  );
  const rejects = rows.map((r) => ({
    line: Number(r.line),
    columnIdx: Number(r.column_idx),
    columnName: r.column_name,
    errorType: r.error_type,
    message: r.error_message,
  }));
  return { rowCount: Number(scan.__rows as bigint), rejects, rejectCount: total, stats: scan };
}

function throwRejects(rejects: Reject[], declaredType: Map<string, string>, total: number, maxIssues: number): never {
  const issues: DatasetIssue[] = rejects.slice(0, maxIssues).map((r) => ({
    field: r.columnName ? `line ${r.line}, column '${r.columnName}'` : `line ${r.line}, column ${r.columnIdx}`,
    message: `${r.errorType.toLowerCase()}: ${r.message}`,
  }));
  if (total > issues.length) issues.push({ field: 'file', message: `${total >= REJECTS_LIMIT ? `at least ${total}` : total} bad rows in all` });
  const onlyDeclaredCasts = rejects.every((r) => r.errorType === 'CAST' && declaredType.has(r.columnName ?? ''));
  if (onlyDeclaredCasts) throw DatasetErrors.constraintViolation(issues);
  const first = rejects[0];
  const reason = `${first.errorType.toLowerCase()} on line ${first.line}${first.columnName ? `, column '${first.columnName}'` : ''}: ${first.message}`;
  throw DatasetErrors.malformed('csv', reason, issues);
}

/** The narrowest type every non-null value of each column casts to: BIGINT, DOUBLE, BOOLEAN, DATE, TIMESTAMP or VARCHAR. */
async function inferCsvTypes(db: DuckDbSession, path: string, names: string[], declaredType: Map<string, string>): Promise<string[]> {
  const candidates = ['BIGINT', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP'];
  const asText = names.map((name) => ({ name, duckdbType: 'VARCHAR' }));
  const selects = names.flatMap((name, i) => {
    const c = sqlIdentifier(name);
    return [`count(${c}) AS n${i}`, ...candidates.map((t, k) => `count(TRY_CAST(${c} AS ${t})) AS c${i}_${k}`)];
  });
  const [row] = await db.all<Record<string, bigint>>(
    `SELECT ${selects.join(', ')} FROM read_csv(${sqlLiteral(path)}, ${CSV_DIALECT}, auto_detect=false, columns=${duckdbColumns(asText)}, strict_mode=true)`,
  );
  return names.map((name, i) => {
    const declared = declaredType.get(name);
    if (declared) return declared;
    const n = row[`n${i}`];
    if (n === 0n) return 'VARCHAR';
    const k = candidates.findIndex((_, k) => row[`c${i}_${k}`] === n);
    return k === -1 ? 'VARCHAR' : candidates[k];
  });
}

async function loadJsonl(db: DuckDbSession, path: string): Promise<Loaded> {
  const invalid = await findInvalidUtf8(path);
  if (invalid) {
    const message = `invalid UTF-8 at byte ${invalid.byteOffset}`;
    throw DatasetErrors.malformed('jsonl', `it is not valid UTF-8 (line ${invalid.line})`, [{ field: `line ${invalid.line}`, message }]);
  }
  try {
    // sample_size=-1: infer types from every record, not a sample. Parsed once into a table (spills
    // past memory_limit): JSON is too costly to parse again for every profiling query.
    await db.exec(`CREATE TABLE t AS SELECT * FROM read_json(${sqlLiteral(path)}, format='newline_delimited', sample_size=-1)`);
    await db.exec('CREATE VIEW src AS SELECT * FROM t');
    return { rowCount: Number((await db.all<{ n: bigint }>('SELECT count(*) AS n FROM t'))[0].n), base: 't' };
  } catch (err) {
    const message = scrub((err as Error).message, path);
    if (!/^(Invalid Input|Conversion) Error/.test(message)) throw err;
    const reported = Number(/in line (\d+)/.exec(message)?.[1] ?? 0);
    const bad = reported ? await firstBadJsonLine(path, reported) : null;
    if (bad) throw DatasetErrors.malformed('jsonl', `bad JSON on line ${bad.line}`, [{ field: `line ${bad.line}`, message: bad.reason }]);
    throw DatasetErrors.malformed('jsonl', reported ? `bad JSON on line ${reported}` : message, [
      { field: reported ? `line ${reported}` : 'file', message },
    ]);
  }
}

async function loadParquet(db: DuckDbSession, path: string, maxColumns: number): Promise<Loaded> {
  try {
    // The footer says how wide the file is: refuse before scanning a table of 50,000 columns.
    const [{ n }] = await db.all<{ n: bigint }>(`SELECT count(*) AS n FROM parquet_schema(${sqlLiteral(path)}) WHERE num_children IS NULL`);
    if (Number(n) > maxColumns) throw tooManyColumns(Number(n), maxColumns);
    // Columnar already: profile straight from the file.
    const base = `read_parquet(${sqlLiteral(path)})`;
    await db.exec(`CREATE VIEW src AS SELECT * FROM ${base}`);
    return { rowCount: Number((await db.all<{ n: bigint }>('SELECT count(*) AS n FROM src'))[0].n), base };
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    const message = scrub((err as Error).message, path);
    throw DatasetErrors.malformed('parquet', 'it is not a readable Parquet file', [{ field: 'file', message }]);
  }
}

/** Declared columns present, types castable (JSONL/Parquet; CSV was read with them), not-null, range and allowed values. */
async function checkDeclared(
  db: DuckDbSession,
  format: DatasetFileFormat,
  base: string,
  declared: DeclaredSchema,
  maxIssues: number,
): Promise<void> {
  const actual = new Map((await db.describe('SELECT * FROM src')).map((c) => [c.name, c.type]));
  const issues: DatasetIssue[] = [];
  for (const col of declared.columns) {
    if (!actual.has(col.name)) issues.push({ field: `column '${col.name}'`, message: 'is declared but the file has no such column' });
  }
  if (declared.strict) {
    const known = new Set(declared.columns.map((c) => c.name));
    for (const name of actual.keys()) {
      if (!known.has(name)) issues.push({ field: `column '${name}'`, message: 'is in the file but not in the declared schema (strict)' });
    }
  }
  if (issues.length) throw DatasetErrors.constraintViolation(issues);

  // Rows in file order, numbered from 0 (preserve_insertion_order keeps a single file scan in order).
  const ROW = '"__atelier_row"';
  const offending = async (name: string, where: string, describe: (value: string) => string) => {
    const rows = await db.all<{ r: bigint; v: string | null }>(
      `SELECT ${ROW} AS r, CAST(${sqlIdentifier(name)} AS VARCHAR) AS v ` +
        `FROM (SELECT row_number() OVER () - 1 AS ${ROW}, * FROM src) WHERE ${where} ORDER BY ${ROW} LIMIT 3`,
    );
    if (rows.length === 0) return;
    const [{ n }] = await db.all<{ n: bigint }>(`SELECT count(*) AS n FROM src WHERE ${where}`);
    for (const r of rows) issues.push({ field: `${rowLabel(format, Number(r.r))}, column '${name}'`, message: describe(r.v ?? 'null') });
    if (Number(n) > rows.length) issues.push({ field: `column '${name}'`, message: `${n} rows in all break this rule` });
  };

  const casts: string[] = [];
  for (const col of declared.columns) {
    const c = sqlIdentifier(col.name);
    let value = c;
    if (col.type && format !== 'csv') {
      const target = DUCKDB_TYPE_OF[col.type];
      if (actual.get(col.name) !== target) {
        const before = issues.length;
        await offending(col.name, `${c} IS NOT NULL AND TRY_CAST(${c} AS ${target}) IS NULL`, (v) => `'${v}' is not a valid ${col.type}`);
        if (issues.length > before) continue;
        casts.push(`CAST(${c} AS ${target}) AS ${c}`);
        value = `CAST(${c} AS ${target})`;
      }
    }
    if (col.notNull) await offending(col.name, `${c} IS NULL`, () => 'is null but the column is declared notNull');
    if (col.min !== undefined) {
      await offending(col.name, `TRY_CAST(${value} AS DOUBLE) < ${col.min}`, (v) => `${v} is below the declared minimum ${col.min}`);
    }
    if (col.max !== undefined) {
      await offending(col.name, `TRY_CAST(${value} AS DOUBLE) > ${col.max}`, (v) => `${v} is above the declared maximum ${col.max}`);
    }
    if (col.allowedValues) {
      const list = col.allowedValues.map((v) => sqlLiteral(String(v))).join(', ');
      await offending(
        col.name,
        `${c} IS NOT NULL AND CAST(${value} AS VARCHAR) NOT IN (${list})`,
        (v) => `'${v}' is not one of the allowed values (${col.allowedValues!.map(String).join(', ')})`,
      );
    }
    if (issues.length >= maxIssues) break;
  }
  if (issues.length) throw DatasetErrors.constraintViolation(issues.slice(0, maxIssues));
  if (casts.length) await db.exec(`CREATE OR REPLACE VIEW src AS SELECT * REPLACE (${casts.join(', ')}) FROM ${base}`);
}

/** Per-column aggregates (count, approx distinct, min, max, mean, stddev), aliased by column index. */
function statsSelects(cols: ProfiledColumn[]): string[] {
  return cols.flatMap((col, i) => {
    const c = sqlIdentifier(col.name);
    if (col.logical === 'float' || col.logical === 'integer') {
      const finite = col.logical === 'float' ? ` FILTER (WHERE isfinite(${c}))` : '';
      return [
        `count(${c}) AS n${i}`,
        `approx_count_distinct(${c}) AS d${i}`,
        `CAST(min(${c})${finite} AS DOUBLE) AS lo${i}`,
        `CAST(max(${c})${finite} AS DOUBLE) AS hi${i}`,
        `CAST(avg(${c})${finite} AS DOUBLE) AS mean${i}`,
        `CAST(stddev_samp(${c})${finite} AS DOUBLE) AS sd${i}`,
        ...(col.logical === 'float' ? [`count(${c}) FILTER (WHERE NOT isfinite(${c})) AS nf${i}`] : []),
      ];
    }
    const text = col.logical === 'other' ? `CAST(${c} AS VARCHAR)` : c;
    return [
      `count(${c}) AS n${i}`,
      `approx_count_distinct(${text}) AS d${i}`,
      `CAST(min(${text}) AS VARCHAR) AS lo${i}`,
      `CAST(max(${text}) AS VARCHAR) AS hi${i}`,
    ];
  });
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

interface ProfiledColumn {
  name: string;
  type: string;
  logical: LogicalType;
}

/** Per-column statistics in one scan, then every histogram and top-k list in a second (GROUPING SETS). */
async function profileSource(
  db: DuckDbSession,
  described: Array<{ name: string; type: string }>,
  rowCount: number,
  bins: number,
  topK: number,
  /** The statistics row of statsSelects(), when a validation scan already computed it. */
  precomputed?: Record<string, unknown>,
): Promise<DatasetProfile> {
  const cols: ProfiledColumn[] = described.map((c) => ({ ...c, logical: logicalTypeOf(c.type) }));
  const [stats] = precomputed ? [precomputed] : cols.length ? await db.all<Record<string, unknown>>(`SELECT ${statsSelects(cols).join(', ')} FROM src`) : [{}];


  const profiles: ColumnProfile[] = cols.map((col, i) => {
    const count = Number(stats[`n${i}`] as bigint);
    const numeric = isNumeric(col.logical);
    const lo = stats[`lo${i}`] as number | string | null;
    const hi = stats[`hi${i}`] as number | string | null;
    return {
      name: col.name,
      type: col.logical,
      duckdbType: col.type,
      count,
      nullCount: rowCount - count,
      nullFraction: rowCount ? (rowCount - count) / rowCount : 0,
      approxDistinct: Number(stats[`d${i}`] as bigint),
      min: numeric ? num(lo) : (lo as string | null),
      max: numeric ? num(hi) : (hi as string | null),
      mean: numeric ? num(stats[`mean${i}`]) : null,
      stddev: numeric ? num(stats[`sd${i}`]) : null,
      topValues: [],
      histogram: null,
    };
  });

  // Grouping keys: a bin index per numeric column, the value as text for top-k lists.
  interface Key { column: number; kind: 'bins' | 'top'; expr: string; bins?: NumericBins }
  const keys: Key[] = [];
  profiles.forEach((p, i) => {
    if (p.count === 0) return;
    const c = sqlIdentifier(p.name);
    const numeric = isNumeric(p.type);
    if (numeric && p.min !== null && p.max !== null) {
      const b = numericBins(p.type, p.min as number, p.max as number, bins);
      // GREATEST/LEAST skip NULLs, so nulls must not reach them (they would land in bin 0).
      const finite = p.type === 'float' ? `isfinite(${c})` : `${c} IS NOT NULL`;
      keys.push({
        column: i,
        kind: 'bins',
        bins: b,
        expr: `CASE WHEN ${finite} THEN LEAST(GREATEST(CAST(floor((CAST(${c} AS DOUBLE) - (${b.min})) / ${b.width}) AS BIGINT), 0), ${b.count - 1}) END`,
      });
    }
    if (!numeric || p.approxDistinct <= TOP_VALUES_MAX_DISTINCT) {
      // Group on the typed value (cheaper than text); only the few groups kept are cast to text.
      keys.push({ column: i, kind: 'top', expr: p.type === 'other' ? `CAST(${c} AS VARCHAR)` : c });
    }
  });
  const limit = Math.max(topK, bins);
  const groups = new Map<Key, Array<{ value: string; count: number }>>();
  // grouping_id is a bitmask: keep each query's key list short.
  for (let start = 0; start < keys.length; start += 30) {
    const batch = keys.slice(start, start + 30);
    const names = batch.map((_, k) => `k${k}`);
    const rows = await db.all<{ g: bigint; key: string; n: bigint }>(
      `WITH keyed AS (SELECT ${batch.map((k, j) => `${k.expr} AS k${j}`).join(', ')} FROM src),
       grouped AS (
         SELECT grouping_id(${names.join(', ')}) AS g, ${names.join(', ')}, count(*) AS n
         FROM keyed GROUP BY GROUPING SETS (${names.map((n) => `(${n})`).join(', ')})
       ),
       ranked AS (
         SELECT g, ${names.join(', ')}, n, row_number() OVER (PARTITION BY g ORDER BY n DESC) AS rk
         FROM grouped WHERE ${names.map((n) => `${n} IS NOT NULL`).join(' OR ')}
       )
       SELECT g, COALESCE(${names.map((n) => `CAST(${n} AS VARCHAR)`).join(', ')}) AS key, n FROM ranked WHERE rk <= ${limit}`,
    );
    const all = (1n << BigInt(batch.length)) - 1n;
    const byGroupId = new Map(batch.map((k, j) => [all ^ (1n << BigInt(batch.length - 1 - j)), k]));
    for (const r of rows) {
      const key = byGroupId.get(BigInt(r.g));
      if (!key) throw new Error(`unexpected grouping id ${r.g}`);
      let list = groups.get(key);
      if (!list) groups.set(key, (list = []));
      list.push({ value: r.key, count: Number(r.n) });
    }
  }
  for (const key of keys) {
    const p = profiles[key.column];
    const list = (groups.get(key) ?? []).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    if (key.kind === 'bins') {
      const b = key.bins!;
      const counts = new Array<number>(b.count).fill(0);
      for (const { value, count } of list) counts[Number(value)] = count;
      p.histogram = {
        kind: 'numeric',
        bins: counts.map((count, k) => ({ lower: b.min + k * b.width, upper: k === b.count - 1 ? b.hi : b.min + (k + 1) * b.width, count })),
        nonFiniteCount: Number(stats[`nf${key.column}`] ?? 0n),
      };
    } else {
      const top = list.slice(0, topK);
      p.topValues = top.slice(0, TOP_VALUES_SHOWN);
      if (!isNumeric(p.type) && p.type !== 'other') {
        p.histogram = { kind: 'categorical', buckets: top, otherCount: p.count - top.reduce((s, t) => s + t.count, 0) };
      }
    }
  }
  return { rowCount, columnCount: cols.length, columns: profiles, engine: { name: 'duckdb', topK, histogramBins: bins } };
}

interface NumericBins {
  min: number;
  hi: number;
  width: number;
  count: number;
}

/** Equal-width bins; integers use half-open bins over [min, max + 1), so a small range gets one bin per value. */
function numericBins(type: LogicalType, min: number, max: number, maxBins: number): NumericBins {
  const hi = type === 'integer' ? max + 1 : max;
  const count = type === 'integer' ? Math.max(1, Math.min(maxBins, max - min + 1)) : min === max ? 1 : maxBins;
  return { min, hi, width: (hi - min) / count || 1, count };
}
