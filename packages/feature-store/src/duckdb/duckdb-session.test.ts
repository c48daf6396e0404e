import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DuckDbSession, sqlIdentifier, sqlLiteral, withDuckDb } from './duckdb-session.js';

describe('DuckDbSession', () => {
  it('applies memory_limit, threads and temp_directory, and closes', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'atelier-duck-'));
    try {
      const spill = join(tmp, 'spill');
      const db = await DuckDbSession.open({ memoryLimitMb: 64, threads: 1, tempDirectory: spill });
      const [row] = await db.all<{ m: string; t: bigint; d: string }>(
        "SELECT current_setting('memory_limit') AS m, current_setting('threads') AS t, current_setting('temp_directory') AS d",
      );
      expect(row.m).toMatch(/^6[01](\.\d)? MiB$/); // DuckDB shows 64 MB as ~61 MiB
      expect(row.t).toBe(1n);
      expect(row.d).toBe(spill);
      expect(await db.allJson('SELECT 2::BIGINT AS b, 1.5::DOUBLE AS d')).toEqual([{ b: '2', d: 1.5 }]);
      expect(await db.firstJson('SELECT range AS i FROM range(1000000)', 3)).toEqual([{ i: '0' }, { i: '1' }, { i: '2' }]);
      db.close();
      db.close();
      await expect(db.all('SELECT 1')).rejects.toThrow(/closed/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('rejects unbounded settings and always closes with withDuckDb', async () => {
    await expect(DuckDbSession.open({ memoryLimitMb: 1 })).rejects.toThrow(/memoryLimitMb/);
    await expect(DuckDbSession.open({ threads: 0 })).rejects.toThrow(/threads/);
    let session: DuckDbSession | undefined;
    await expect(
      withDuckDb({}, async (db) => {
        session = db;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(session!.all('SELECT 1')).rejects.toThrow(/closed/);
  });

  it('quotes literals and identifiers', async () => {
    await withDuckDb({ threads: 1 }, async (db) => {
      const [row] = await db.all(`SELECT ${sqlLiteral("O'Brien")} AS ${sqlIdentifier('we"ird name')}`);
      expect(row).toEqual({ 'we"ird name': "O'Brien" });
    });
  });
});
