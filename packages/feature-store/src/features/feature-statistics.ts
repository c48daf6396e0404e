// Per-column statistics (count, nulls, distinct, min/max/mean/stddev for numbers) computed by DuckDB in
// one scan. Stored on each feature view version as the baseline for drift checks.
import { sqlIdentifier, type DuckDbSession } from '../duckdb/duckdb-session.js';
import { typeFamily } from './feature-types.js';

export interface ColumnStatistics {
  name: string;
  type: string;
  count: number;
  nulls: number;
  distinct: number;
  min: number | string | boolean | null;
  max: number | string | boolean | null;
  mean: number | null;
  stddev: number | null;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Statistics of `columns` of `relation` (a FROM-able SQL text). `type` is the family name we serve. */
export async function computeColumnStatistics(
  db: DuckDbSession,
  relation: string,
  columns: Array<{ name: string; type: string }>,
): Promise<ColumnStatistics[]> {
  if (columns.length === 0) return [];
  const parts: string[] = ['count(*) AS "__rows"'];
  columns.forEach((c, i) => {
    const col = sqlIdentifier(c.name);
    const fam = typeFamily(c.type);
    const numeric = fam === 'int' || fam === 'float';
    parts.push(`count(${col}) AS "c${i}"`, `approx_count_distinct(${col}) AS "d${i}"`);
    if (numeric) {
      parts.push(
        `CAST(min(${col}) AS DOUBLE) AS "min${i}"`,
        `CAST(max(${col}) AS DOUBLE) AS "max${i}"`,
        `avg(CAST(${col} AS DOUBLE)) AS "mean${i}"`,
        `stddev_pop(CAST(${col} AS DOUBLE)) AS "sd${i}"`,
      );
    } else if (fam === 'bool') {
      parts.push(`CAST(bool_and(${col}) AS VARCHAR) AS "min${i}"`, `CAST(bool_or(${col}) AS VARCHAR) AS "max${i}"`);
    } else {
      parts.push(`CAST(min(${col}) AS VARCHAR) AS "min${i}"`, `CAST(max(${col}) AS VARCHAR) AS "max${i}"`);
    }
  });
  const [row] = await db.all<Record<string, unknown>>(`SELECT ${parts.join(', ')} FROM ${relation}`);
  const rows = Number(row.__rows);
  return columns.map((c, i) => {
    const fam = typeFamily(c.type);
    const numeric = fam === 'int' || fam === 'float';
    const count = Number(row[`c${i}`]);
    const pick = (v: unknown) => (numeric ? num(v) : fam === 'bool' ? (v === null || v === undefined ? null : v === 'true') : ((v as string | null) ?? null));
    return {
      name: c.name,
      type: c.type,
      count: rows,
      nulls: rows - count,
      distinct: Number(row[`d${i}`]),
      min: pick(row[`min${i}`]),
      max: pick(row[`max${i}`]),
      mean: numeric ? num(row[`mean${i}`]) : null,
      stddev: numeric ? num(row[`sd${i}`]) : null,
    };
  });
}
