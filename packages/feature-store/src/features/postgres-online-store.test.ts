// The online store conformance suite against the embedded default: rows in the catalog's database.
import { sql } from 'kysely';
import { describeOnlineStoreConformance } from './online-store.conformance.js';
import { PostgresOnlineStore } from './online-store.js';

describeOnlineStoreConformance('postgres', (catalog) => new PostgresOnlineStore(catalog), {
  async generations(_store, catalog, ref) {
    const rows = await catalog.db
      .selectFrom('online_features')
      .select(['generation', sql<number>`count(*)::int`.as('n')])
      .where('feature_view_version_id', '=', ref.viewVersionId)
      .groupBy('generation')
      .orderBy('generation')
      .execute();
    return new Map(rows.map((r) => [r.generation, r.n]));
  },
});
