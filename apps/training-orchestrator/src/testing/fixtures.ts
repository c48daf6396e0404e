// Test fixtures: small deterministic tabular datasets as CSV, and a way to store one as a dataset
// version directly through artifacts + catalog (in the datasets module's schema shape), for tests
// that exercise the orchestrator without the HTTP upload path.
import type { ArtifactStore } from '@atelier/artifacts';
import type { Catalog, DatasetVersion } from '@atelier/catalog';
import { Random } from '@atelier/engine';

const CITIES = ['paris', 'lyon', 'nice', 'lille'];
const CITY_EFFECT: Record<string, number> = { paris: 1, lyon: -0.5, nice: 0.3, lille: -1 };

/**
 * Columns: id (integer), ts (timestamp), age (float, some missing), income (float), city (string),
 * churned (integer 0/1 label), spend (float regression target), plan (string, 3 classes).
 */
export function syntheticCsv(rows: number, seed = 7): string {
  const random = new Random(seed);
  const r = () => random.next();
  const lines = ['id,ts,age,income,city,churned,spend,plan'];
  const t0 = Date.UTC(2025, 0, 1);
  for (let i = 0; i < rows; i++) {
    const age = 18 + r() * 60;
    const income = 20 + r() * 100;
    const city = CITIES[Math.floor(r() * CITIES.length)];
    const z = 0.08 * (age - 48) - 0.03 * (income - 70) + CITY_EFFECT[city] + (r() - 0.5) * 1.5;
    const churned = z > 0 ? 1 : 0;
    const spend = 3 * income - 0.5 * age + 10 * CITY_EFFECT[city] + (r() - 0.5) * 5;
    const plan = z > 1 ? 'gold' : z > -1 ? 'silver' : 'bronze';
    const ageCell = i % 17 === 5 ? '' : age.toFixed(2);
    const ts = new Date(t0 + i * 3600_000).toISOString().replace('T', ' ').replace('.000Z', '');
    lines.push(`${i + 1},${ts},${ageCell},${income.toFixed(2)},${city},${churned},${spend.toFixed(2)},${plan}`);
  }
  return lines.join('\n') + '\n';
}

/** The schema the datasets module records for syntheticCsv (VersionSchema: name, type, duckdbType, nullable). */
export const SYNTHETIC_SCHEMA = {
  columns: [
    { name: 'id', type: 'integer', duckdbType: 'BIGINT', nullable: false },
    { name: 'ts', type: 'timestamp', duckdbType: 'TIMESTAMP', nullable: false },
    { name: 'age', type: 'float', duckdbType: 'DOUBLE', nullable: true },
    { name: 'income', type: 'float', duckdbType: 'DOUBLE', nullable: false },
    { name: 'city', type: 'string', duckdbType: 'VARCHAR', nullable: false },
    { name: 'churned', type: 'integer', duckdbType: 'BIGINT', nullable: false },
    { name: 'spend', type: 'float', duckdbType: 'DOUBLE', nullable: false },
    { name: 'plan', type: 'string', duckdbType: 'VARCHAR', nullable: false },
  ],
};

/** Store CSV bytes as a new version of `name` (dataset created when missing). */
export async function storeCsvDatasetVersion(
  catalog: Catalog,
  artifacts: ArtifactStore,
  projectId: string,
  name: string,
  csv: string,
  schema: unknown = SYNTHETIC_SCHEMA,
): Promise<DatasetVersion> {
  const dataset = (await catalog.datasets.findByName(projectId, name)) ?? (await catalog.datasets.create({ projectId, name }));
  const bytes = new TextEncoder().encode(csv);
  const put = await artifacts.put(`datasets/${projectId}/${name}/test-${Date.now()}-${Math.random().toString(36).slice(2)}.csv`, bytes, { contentType: 'text/csv' });
  const rowCount = csv.trim().split('\n').length - 1;
  return catalog.datasets.createVersion({
    datasetId: dataset.id,
    format: 'csv',
    artifactKey: put.key,
    sha256: put.sha256,
    sizeBytes: put.size,
    rowCount,
    schema,
  });
}
