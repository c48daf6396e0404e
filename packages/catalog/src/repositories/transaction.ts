import type { Kysely } from 'kysely';
import type { Database } from '../database.js';

/**
 * Run `fn` in a transaction, or inside the caller's when the repository was built over one
 * (`catalog.transaction`): Kysely cannot nest transactions, and the caller's then decides the commit.
 */
export function inTransaction<T>(db: Kysely<Database>, fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
