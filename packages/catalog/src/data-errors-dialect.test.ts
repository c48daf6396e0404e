import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/database.js';
import { CatalogError, ConflictError } from './errors.js';

const invalidValue = { name: 'CatalogError', code: 'ATL_INVALID_VALUE' };

describeEachDatabase('values the database refuses', ({ catalog }) => {
  it('a NUL character in text is a coded ATL_INVALID_VALUE, not a driver error', async () => {
    const c = catalog();
    const err = await c.projects.create({ name: 'nul-text', description: 'a\u0000b' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CatalogError);
    expect(err).toMatchObject(invalidValue);
    expect((err as CatalogError).message).toContain('NUL');
  });

  it('an unpaired surrogate or a NUL inside jsonb is ATL_INVALID_VALUE too, also inside a transaction', async () => {
    const c = catalog();
    const record = (details: Record<string, unknown>) => c.audit.record({ actorKeyId: null, projectId: null, action: 'test', resourceType: 'test', resourceId: 'x', details });
    await expect(record({ name: '\ud800' })).rejects.toMatchObject(invalidValue);
    await expect(record({ name: 'a\u0000b' })).rejects.toMatchObject(invalidValue);
    await expect(c.transaction((tx) => tx.projects.create({ name: 'in-tx', description: '\u0000' }))).rejects.toMatchObject(invalidValue);
    // the failed transaction left nothing behind, and the connection still works
    await expect(c.projects.findByName('in-tx')).resolves.toBeUndefined();
  });

  it('a number past an integer column is ATL_INVALID_VALUE', async () => {
    const c = catalog();
    const project = await c.projects.create({ name: 'big-numbers' });
    const dataset = await c.datasets.create({ projectId: project.id, name: 'd' });
    await expect(c.datasets.findVersion(dataset.id, 2 ** 31)).rejects.toMatchObject(invalidValue);
    await expect(c.datasets.findVersion(dataset.id, 1)).resolves.toBeUndefined();
  });

  it('leaves other database errors as they were (a unique violation is still a conflict)', async () => {
    const c = catalog();
    await c.projects.create({ name: 'twice' });
    await expect(c.projects.create({ name: 'twice' })).rejects.toBeInstanceOf(ConflictError);
  });
});
