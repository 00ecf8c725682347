import { Client, Query } from 'pg';
import { MAX_PREPARED_STATEMENTS, preparedStatementName, PreparingClient } from './prepared-statements';

/** What node-postgres reads off a Query when it sends it. */
interface SentQuery {
  name?: string;
  text: string;
  values?: unknown[];
  callback: (error: Error | undefined, result: unknown) => void;
}

describe('PreparingClient', () => {
  let sent: unknown[][];
  let answer: { error?: Error; result?: unknown };

  beforeEach(() => {
    sent = [];
    answer = { result: { rows: [{ id: 1 }] } };
    // node-postgres answers a Query it is given through the query's callback, and returns a promise otherwise.
    jest.spyOn(Client.prototype, 'query').mockImplementation(((...args: unknown[]) => {
      sent.push(args);
      const [first] = args;
      if (first instanceof Query) {
        const query = first as unknown as SentQuery;
        process.nextTick(() => query.callback(answer.error, answer.result));
        return first;
      }
      return Promise.resolve({ rows: [] });
    }) as never);
  });

  afterEach(() => jest.restoreAllMocks());

  const sentQueries = () => sent.map(([query]) => query as SentQuery);

  it('sends a statement with parameters prepared, under the same name every time, and answers with its result', async () => {
    const client = new PreparingClient();
    await expect(client.query('SELECT * FROM pet WHERE id = $1', [1])).resolves.toEqual({ rows: [{ id: 1 }] });
    await client.query('SELECT * FROM pet WHERE id = $1', [2]);
    const [first, second] = sentQueries();
    expect(first).toBeInstanceOf(Query);
    expect(first).toMatchObject({ name: expect.stringMatching(/^petstore_\d+$/), text: 'SELECT * FROM pet WHERE id = $1', values: [1] });
    expect(second).toMatchObject({ name: first.name, text: first.text, values: [2] });
  });

  it('hands node-postgres a query it parses once per connection under that name, then only binds', async () => {
    const client = new PreparingClient();
    await client.query('SELECT * FROM pet WHERE id = $1', [1]);
    await client.query('SELECT * FROM pet WHERE id = $1', [2]);
    const connection = {
      parsedStatements: {},
      submittedNamedStatements: {},
      stream: {},
      parse: jest.fn(),
      bind: jest.fn(),
      describe: jest.fn(),
      execute: jest.fn(),
      sync: jest.fn(),
    };
    const [first, second] = sent.map(([query]) => query as Query & { submit: (connection: unknown) => Error | null });
    expect(first.submit(connection)).toBeNull();
    expect(second.submit(connection)).toBeNull();
    const { name } = sentQueries()[0];
    expect(connection.parse.mock.calls).toEqual([[expect.objectContaining({ name, text: 'SELECT * FROM pet WHERE id = $1' })]]);
    expect(connection.bind.mock.calls.map(([bound]) => [bound.statement, bound.values])).toEqual([
      [name, [1]],
      [name, [2]],
    ]);
  });

  it('rejects with the error the statement failed with', async () => {
    const violation = Object.assign(new Error('duplicate key value violates unique constraint "user_username"'), { code: '23505' });
    answer = { error: violation };
    await expect(new PreparingClient().query('INSERT INTO users (username) VALUES ($1)', ['rex'])).rejects.toBe(violation);
  });

  it('answers a caller that passes a callback through it', async () => {
    const client = new PreparingClient();
    const result = await new Promise((resolve, reject) =>
      client.query('SELECT * FROM pet WHERE id = $1', [3], (error: Error | undefined, answered: unknown) =>
        error ? reject(error) : resolve(answered),
      ),
    );
    expect(result).toEqual({ rows: [{ id: 1 }] });
    expect(sentQueries()[0]).toMatchObject({ name: expect.stringMatching(/^petstore_\d+$/), values: [3] });
  });

  it('gives other statements other names', async () => {
    const client = new PreparingClient();
    await client.query('SELECT name FROM pet WHERE id = $1', [1]);
    await client.query('SELECT status FROM pet WHERE id = $1', [1]);
    const names = sentQueries().map((query) => query.name);
    expect(new Set(names).size).toBe(2);
  });

  it('sends a statement without parameters as it is', async () => {
    const client = new PreparingClient();
    await client.query('COMMIT');
    await client.query('SELECT 1', []);
    expect(sent).toEqual([['COMMIT'], ['SELECT 1', []]]);
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
    expect(sentQueries()[1]).toMatchObject({ name: expect.stringMatching(/^petstore_\d+$/), text: named });
  });
});
