// Hands a test a catalog on a real database: a fresh Postgres database per suite (when the run has
// Postgres: DATABASE_URL or testcontainers) or a PGlite cloned from the migrated template. Suites never
// care which; catalog suites run on both through `describeEachDatabase`.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { createCatalog, type Catalog } from '../packages/catalog/src/index.js';

export type DatabaseKind = 'postgres' | 'pglite';

export interface TestDatabase {
  kind: DatabaseKind;
  /** Set for Postgres: a database created for this suite alone. */
  databaseUrl?: string;
  /** Open a catalog on this database (migrations already applied). Close it yourself. */
  openCatalog(): Promise<Catalog>;
  drop(): Promise<void>;
}

let template: Blob | undefined;
function pgliteTemplate(): Blob {
  template ??= new Blob([readFileSync(inject('pgliteTemplatePath'))]);
  return template;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Postgres is required on CI; elsewhere a missing one is reported and that variant skipped. */
export function postgresAvailability(): { url: string } | { skip: string } {
  const url = inject('databaseUrl');
  if (url) return { url };
  const reason = inject('databaseUnavailableReason') ?? 'no Postgres';
  if (process.env.CI) throw new Error(`CI needs a real Postgres for the catalog suites: ${reason}`);
  return { skip: reason };
}

export async function createTestDatabase(kind: DatabaseKind = inject('databaseUrl') ? 'postgres' : 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    // One PGlite is one process-local database: every catalog opened on it shares it.
    let shared: Catalog | undefined;
    return {
      kind,
      async openCatalog() {
        shared ??= await createCatalog({ pgliteTemplate: pgliteTemplate() });
        const catalog = shared;
        return { ...catalog, close: async () => {} } as Catalog;
      },
      async drop() {
        await shared?.close();
      },
    };
  }
  const availability = postgresAvailability();
  if ('skip' in availability) throw new Error(`Postgres unavailable: ${availability.skip}`);
  const name = `atelier_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: availability.url });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const databaseUrl = withDatabase(availability.url, name);
  const opened: Catalog[] = [];
  return {
    kind,
    databaseUrl,
    async openCatalog() {
      const catalog = await createCatalog({ databaseUrl, poolMax: 5 });
      opened.push(catalog);
      return catalog;
    },
    async drop() {
      await Promise.all(opened.map((c) => c.close()));
      const admin = new pg.Client({ connectionString: availability.url });
      await admin.connect();
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    },
  };
}

export interface DatabaseContext {
  kind: DatabaseKind;
  /** The suite's catalog (opened in beforeAll). */
  catalog(): Catalog;
  database(): TestDatabase;
}

/** Define the same suite once per database kind: PGlite always, Postgres when the run has one. */
export function describeEachDatabase(name: string, suite: (ctx: DatabaseContext) => void): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    const availability = kind === 'postgres' ? postgresAvailability() : { url: '' };
    describe.skipIf('skip' in availability)(`${name} [${kind}]`, () => {
      let db: TestDatabase;
      let catalog: Catalog;
      beforeAll(async () => {
        db = await createTestDatabase(kind);
        catalog = await db.openCatalog();
      });
      afterAll(async () => {
        await catalog?.close();
        await db?.drop();
      });
      suite({ kind, catalog: () => catalog, database: () => db });
    });
  }
}
