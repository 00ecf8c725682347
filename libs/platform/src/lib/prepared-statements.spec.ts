import { Client } from 'pg';
import { MAX_PREPARED_STATEMENTS, preparedStatementName, PreparingClient } from './prepared-statements';

describe('PreparingClient', () => {
  let sent: unknown[][];

  beforeEach(() => {
    sent = [];
    jest.spyOn(Client.prototype, 'query').mockImplementation(((...args: unknown[]) => {
      sent.push(args);
      return Promise.resolve({ rows: [] });
    }) as never);
  });

  afterEach(() => jest.restoreAllMocks());

  it('sends a statement with parameters prepared, under the same name every time', async () => {
    const client = new PreparingClient();
    await client.query('SELECT * FROM pet WHERE id = $1', [1]);
    await client.query('SELECT * FROM pet WHERE id = $1', [2]);
    const [first, second] = sent.map(([config]) => config as { name: string; text: string; values: unknown[] });
    expect(first).toEqual({ name: expect.stringMatching(/^petstore_\d+$/), text: 'SELECT * FROM pet WHERE id = $1', values: [1] });
    expect(second).toEqual({ ...first, values: [2] });
  });

  it('gives other statements other names', async () => {
    const client = new PreparingClient();
    await client.query('SELECT name FROM pet WHERE id = $1', [1]);
    await client.query('SELECT status FROM pet WHERE id = $1', [1]);
    const names = sent.map(([config]) => (config as { name: string }).name);
    expect(new Set(names).size).toBe(2);
  });

  it('sends a statement without parameters as it is', async () => {
    const client = new PreparingClient();
    await client.query('COMMIT');
    await client.query('SELECT 1', []);
    expect(sent).toEqual([
      ['COMMIT'],
      ['SELECT 1', []],
    ]);
  });

  it('prepares no new statement past the cap, and keeps preparing those it named', async () => {
    const client = new PreparingClient();
    const named = 'SELECT id FROM pet WHERE name = $1';
    await client.query(named, ['Rex']);
    for (let variant = 0; variant < MAX_PREPARED_STATEMENTS; variant++) preparedStatementName(`SELECT ${variant} WHERE $1`);
    sent = [];
    await client.query('SELECT id FROM pet WHERE status = $1', ['sold']);
    await client.query(named, ['Rex']);
    expect(sent[0]).toEqual(['SELECT id FROM pet WHERE status = $1', ['sold']]);
    expect(sent[1][0]).toMatchObject({ name: expect.stringMatching(/^petstore_\d+$/), text: named });
  });
});
