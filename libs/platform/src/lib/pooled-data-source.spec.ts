import { QueryFailedError, QueryRunner } from 'typeorm';
import { PostgresErrorCode, postgresErrorCode } from './postgres';
import { PooledDataSource } from './pooled-data-source';

/** node-postgres' answer to a statement, as its pool gives it. */
function pgResult(command: string, rows: object[], rowCount = rows.length) {
  return { command, rows, rowCount, fields: [], oid: 0 };
}

describe('PooledDataSource', () => {
  let dataSource: PooledDataSource;
  let pool: { query: jest.Mock };

  beforeEach(() => {
    dataSource = new PooledDataSource({ type: 'postgres', url: 'postgres://postgres@127.0.0.1:1/unused' });
    pool = { query: jest.fn() };
    // What initialize() would have connected: the driver's pool.
    (dataSource.driver as unknown as { master: unknown }).master = pool;
    Object.assign(dataSource, { isInitialized: true });
  });

  it('sends a statement outside a transaction to the pool and answers its rows', async () => {
    pool.query.mockResolvedValue(pgResult('SELECT', [{ id: 7 }]));
    await expect(dataSource.query('SELECT id FROM pet WHERE id = $1', [7])).resolves.toEqual([{ id: 7 }]);
    expect(pool.query).toHaveBeenCalledWith('SELECT id FROM pet WHERE id = $1', [7]);
  });

  it("answers the default manager's statements the same way", async () => {
    pool.query.mockResolvedValue(pgResult('INSERT', [{ id: 8 }]));
    await expect(dataSource.manager.query('INSERT INTO pet (name) VALUES ($1) RETURNING id', ['Rex'])).resolves.toEqual([{ id: 8 }]);
  });

  it('answers UPDATE and DELETE with their rows and the number of rows they changed, as TypeORM does', async () => {
    pool.query.mockResolvedValueOnce(pgResult('UPDATE', [], 3)).mockResolvedValueOnce(pgResult('DELETE', [{ id: 1 }], 1));
    await expect(dataSource.query(`UPDATE pet SET name = $1`, ['Rex'])).resolves.toEqual([[], 3]);
    await expect(dataSource.query(`DELETE FROM pet WHERE id = $1 RETURNING id`, [1])).resolves.toEqual([[{ id: 1 }], 1]);
  });

  it('fails as TypeORM does, with the SQLSTATE still readable', async () => {
    const violation = Object.assign(new Error('duplicate key value violates unique constraint "pet_pkey"'), {
      code: PostgresErrorCode.UniqueViolation,
    });
    pool.query.mockRejectedValue(violation);
    const failure = await dataSource.query('INSERT INTO pet (id) VALUES ($1)', [1]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(failure).toMatchObject({ query: 'INSERT INTO pet (id) VALUES ($1)', parameters: [1], driverError: violation });
    expect(postgresErrorCode(failure)).toBe(PostgresErrorCode.UniqueViolation);
  });

  it("sends a statement in a transaction on the transaction's own connection", async () => {
    const runner = { isReleased: false, query: jest.fn().mockResolvedValue([{ id: 9 }]) };
    await expect(dataSource.query('SELECT id FROM pet WHERE id = $1 FOR UPDATE', [9], runner as unknown as QueryRunner)).resolves.toEqual([
      { id: 9 },
    ]);
    expect(runner.query).toHaveBeenCalledWith('SELECT id FROM pet WHERE id = $1 FOR UPDATE', [9]);
    expect(pool.query).not.toHaveBeenCalled();
  });

  it('leaves a statement to TypeORM while it is not connected, which fails it as such', async () => {
    Object.assign(dataSource, { isInitialized: false });
    (dataSource.driver as unknown as { master: unknown }).master = undefined;
    await expect(dataSource.query('SELECT 1')).rejects.toThrow(/not connected/i);
    expect(pool.query).not.toHaveBeenCalled();
  });
});
