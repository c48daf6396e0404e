// Event-timestamp columns: find out how a column writes its timestamps and build the DuckDB expression
// that turns it into a UTC TIMESTAMP. A column that mixes formats (ISO date-times with and without a
// zone, dates, epoch seconds, epoch milliseconds) is refused: silently guessing is how point-in-time
// joins go wrong.
import { sqlIdentifier, type DuckDbSession } from '../duckdb/duckdb-session.js';
import { FeatureErrors } from './errors.js';

export type TimestampFormat = 'timestamp' | 'iso-date' | 'iso-datetime' | 'iso-datetime-with-zone' | 'epoch-seconds' | 'epoch-milliseconds';

const CLASSES: Array<{ format: Exclude<TimestampFormat, 'timestamp'>; pattern: string; expr: (v: string) => string }> = [
  { format: 'iso-date', pattern: '\\d{4}-\\d{2}-\\d{2}', expr: (v) => `CAST(CAST(${v} AS DATE) AS TIMESTAMP)` },
  {
    format: 'iso-datetime',
    pattern: '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?',
    expr: (v) => `CAST(${v} AS TIMESTAMP)`,
  },
  {
    format: 'iso-datetime-with-zone',
    pattern: '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)? ?([Zz]|[+-]\\d{2}(:?\\d{2})?)',
    expr: (v) => `(CAST(${v} AS TIMESTAMPTZ) AT TIME ZONE 'UTC')`,
  },
  { format: 'epoch-seconds', pattern: '-?\\d{1,11}', expr: (v) => `make_timestamp(CAST(${v} AS BIGINT) * 1000000)` },
  { format: 'epoch-milliseconds', pattern: '-?\\d{12,14}', expr: (v) => `make_timestamp(CAST(${v} AS BIGINT) * 1000)` },
];

export interface TimestampColumn {
  format: TimestampFormat;
  /** A DuckDB expression over the column that yields TIMESTAMP (UTC), NULL for empty values. */
  expression: string;
}

/**
 * Inspect `column` of `relation` (a FROM-able SQL text) and return how to read it as a timestamp.
 * `field` names the request field that chose this column (for the 400 it may raise).
 */
export async function resolveTimestampColumn(db: DuckDbSession, relation: string, column: string, field: string): Promise<TimestampColumn> {
  const col = sqlIdentifier(column);
  const described = await db.describe(`SELECT ${col} FROM ${relation}`);
  const type = described[0]?.type.toUpperCase() ?? 'VARCHAR';
  if (type.startsWith('TIMESTAMP WITH TIME ZONE') || type === 'TIMESTAMPTZ') {
    return { format: 'timestamp', expression: `(${col} AT TIME ZONE 'UTC')` };
  }
  if (type.startsWith('TIMESTAMP')) return { format: 'timestamp', expression: `CAST(${col} AS TIMESTAMP)` };
  if (type === 'DATE') return { format: 'timestamp', expression: `CAST(${col} AS TIMESTAMP)` };

  const v = `NULLIF(trim(CAST(${col} AS VARCHAR)), '')`;
  const cases = CLASSES.map((c, i) => `WHEN regexp_full_match(__v, '${c.pattern}') THEN ${i}`).join(' ');
  const rows = await db.all<{ cls: number; n: bigint; example: string }>(
    `SELECT cls, count(*) AS n, min(__v) AS example FROM (
       SELECT __v, CASE ${cases} ELSE -1 END AS cls FROM (SELECT ${v} AS __v FROM ${relation}) WHERE __v IS NOT NULL
     ) GROUP BY cls ORDER BY n DESC`,
  );
  const bad = rows.find((r) => r.cls === -1);
  if (bad) {
    const examples = await db.all<{ v: string }>(
      `SELECT DISTINCT __v AS v FROM (SELECT ${v} AS __v FROM ${relation}) WHERE __v IS NOT NULL AND NOT (${CLASSES.map(
        (c) => `regexp_full_match(__v, '${c.pattern}')`,
      ).join(' OR ')}) LIMIT 3`,
    );
    throw FeatureErrors.badTimestamps(field, column, examples.map((e) => e.v));
  }
  if (rows.length > 1) {
    throw FeatureErrors.mixedTimestamps(
      field,
      column,
      rows.map((r) => CLASSES[r.cls].format),
      rows.map((r) => r.example),
    );
  }
  if (rows.length === 0) return { format: 'iso-datetime', expression: `CAST(NULL AS TIMESTAMP)` };
  const chosen = CLASSES[rows[0].cls];
  return { format: chosen.format, expression: chosen.expr(v) };
}
