// Postgres refuses some values the API accepted as valid JSON: NUL (U+0000) in text or jsonb, an
// unpaired UTF-16 surrogate ("\ud800") in jsonb, a number past a column's range. Those are the
// client's values, not our failure, so they leave the catalog as a coded CatalogError (→ 400)
// instead of a raw driver error (→ 500). Done once, where every Kysely query passes, on both dialects.
import type { CompiledQuery, DatabaseConnection, Dialect } from 'kysely';
import { CatalogError } from './errors.js';

/** SQLSTATE (data exceptions caused by a value) → what the caller should do. */
const DATA_EXCEPTIONS: Record<string, string> = {
  // character_not_in_repertoire: NUL in a text column ("invalid byte sequence for encoding UTF8: 0x00")
  '22021': 'A text value contains a NUL character (U+0000), which cannot be stored. Remove it and send the request again.',
  // untranslatable_character: "\u0000" inside a jsonb value
  '22P05': 'A text value contains a NUL character (U+0000), which cannot be stored. Remove it and send the request again.',
  // invalid_text_representation: e.g. an unpaired surrogate in jsonb ("Unicode low surrogate must follow a high surrogate")
  '22P02': 'A text value is not well-formed Unicode (an unpaired surrogate such as \\ud800) or not in the form its field needs. Send well-formed text.',
  // numeric_value_out_of_range
  '22003': 'A number is outside the range its field can store. Send a smaller value.',
};

export const INVALID_VALUE_CODE = 'ATL_INVALID_VALUE';

function translate(err: unknown): never {
  const sqlState = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  const message = typeof sqlState === 'string' ? DATA_EXCEPTIONS[sqlState] : undefined;
  if (message) throw new CatalogError(INVALID_VALUE_CODE, message, { sqlState });
  throw err;
}

const TRANSLATING = Symbol('translating data errors');

function translating(connection: DatabaseConnection): DatabaseConnection {
  const c = connection as DatabaseConnection & { [TRANSLATING]?: true };
  // Drivers hand out the same connection objects again (pooled); patch each one once.
  if (!c[TRANSLATING]) {
    const execute = c.executeQuery.bind(c);
    c.executeQuery = <R>(query: CompiledQuery) => execute<R>(query).catch(translate);
    c[TRANSLATING] = true;
  }
  return c;
}

/** The dialect with value errors from the database turned into `ATL_INVALID_VALUE` CatalogErrors. */
export function withDataErrors(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => {
      const driver = dialect.createDriver();
      const acquire = driver.acquireConnection.bind(driver);
      driver.acquireConnection = async () => translating(await acquire());
      return driver;
    },
  };
}
