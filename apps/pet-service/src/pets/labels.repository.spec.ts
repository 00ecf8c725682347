import { ConflictException, UnprocessableEntityException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LabelsRepository } from './labels.repository';

/** A manager whose queries answer from a small in-memory category table. */
function managerWith(rows: { id: number; name: string }[]) {
  const query = jest.fn(async (sql: string, parameters: unknown[] = []) => {
    if (sql.startsWith('SELECT id, name FROM category WHERE id')) return rows.filter((row) => row.id === parameters[0]);
    if (sql.startsWith('SELECT id, name FROM category WHERE name')) return rows.filter((row) => row.name === parameters[0]);
    if (sql.startsWith('SELECT nextval')) return [{ id: String(Math.max(0, ...rows.map((row) => row.id)) + 1) }];
    if (sql.startsWith('INSERT INTO category')) {
      const [id, name] = parameters as [number, string];
      if (rows.some((row) => row.id === id || row.name === name)) return [];
      rows.push({ id, name });
      return [{ id: String(id), name }];
    }
    return [];
  });
  return { manager: { query } as unknown as EntityManager, query };
}

describe('LabelsRepository', () => {
  const labels = new LabelsRepository();

  it('finds a label by name, or creates it', async () => {
    const { manager } = managerWith([{ id: 1, name: 'Dogs' }]);
    expect(await labels.resolve(manager, 'category', { name: 'Dogs' })).toEqual({ id: 1, name: 'Dogs' });
    expect(await labels.resolve(manager, 'category', { name: 'Cats' })).toEqual({ id: 2, name: 'Cats' });
  });

  it('uses a label by id, and refuses an id whose name differs instead of renaming it', async () => {
    const { manager } = managerWith([{ id: 1, name: 'Dogs' }]);
    expect(await labels.resolve(manager, 'category', { id: 1 })).toEqual({ id: 1, name: 'Dogs' });
    await expect(labels.resolve(manager, 'category', { id: 1, name: 'Cats' })).rejects.toThrow(
      new ConflictException("category 1 is named 'Dogs', not 'Cats'"),
    );
  });

  it('creates a label under a free id the client chose, but needs its name', async () => {
    const { manager } = managerWith([]);
    expect(await labels.resolve(manager, 'category', { id: 40, name: 'Birds' })).toEqual({ id: 40, name: 'Birds' });
    await expect(labels.resolve(manager, 'category', { id: 41 })).rejects.toBeInstanceOf(UnprocessableEntityException);
  });

  it('refuses a free id for a name another label holds', async () => {
    const { manager } = managerWith([{ id: 1, name: 'Dogs' }]);
    await expect(labels.resolve(manager, 'category', { id: 9, name: 'Dogs' })).rejects.toThrow(
      new ConflictException("category 'Dogs' already exists with id 1, not 9"),
    );
  });

  it('reads an id of 0 as none given, as Swagger UI and some generated clients send it', async () => {
    const { manager } = managerWith([{ id: 1, name: 'Dogs' }]);
    expect(await labels.resolve(manager, 'category', { id: 0, name: 'Dogs' })).toEqual({ id: 1, name: 'Dogs' });
  });

  it('keeps a label listed twice once', async () => {
    const { manager } = managerWith([{ id: 1, name: 'Dogs' }]);
    const resolved = await labels.resolveAll(manager, 'category', [{ name: 'Dogs' }, { id: 1 }, { name: 'Cats' }]);
    expect(resolved).toEqual([
      { id: 1, name: 'Dogs' },
      { id: 2, name: 'Cats' },
    ]);
  });
});
