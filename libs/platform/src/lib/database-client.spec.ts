import { Socket } from 'node:net';
import { Client, Pool, PoolClient, Query } from 'pg';
import { ServiceDatabaseClient } from './database-client';
import { FakePostgres, fakePostgres, postgresMessage, READY_FOR_QUERY } from './fake-postgres.fixture';
import { DatabaseSilentError, isDatabaseReadOnly, isDatabaseUnavailable } from './postgres';
import { MAX_PREPARED_STATEMENTS, preparedStatementName } from './prepared-statements';

/** What node-postgres reads off a Query when it sends it. */
interface SentQuery {
  name?: string;
  text: string;
  values?: unknown[];
  callback: (error: Error | undefined, result: unknown) => void;
}

describe('ServiceDatabaseClient', () => {
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
    const client = new ServiceDatabaseClient();
    await expect(client.query('SELECT * FROM pet WHERE id = $1', [1])).resolves.toEqual({ rows: [{ id: 1 }] });
    await client.query('SELECT * FROM pet WHERE id = $1', [2]);
    const [first, second] = sentQueries();
    expect(first).toBeInstanceOf(Query);
    expect(first).toMatchObject({ name: expect.stringMatching(/^petstore_\d+$/), text: 'SELECT * FROM pet WHERE id = $1', values: [1] });
    expect(second).toMatchObject({ name: first.name, text: first.text, values: [2] });
  });

  it('hands node-postgres a query it parses once per connection under that name, then only binds', async () => {
    const client = new ServiceDatabaseClient();
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
    await expect(new ServiceDatabaseClient().query('INSERT INTO users (username) VALUES ($1)', ['rex'])).rejects.toBe(violation);
  });

  it('answers a caller that passes a callback through it', async () => {
    const client = new ServiceDatabaseClient();
    const result = await new Promise((resolve, reject) =>
      client.query('SELECT * FROM pet WHERE id = $1', [3], (error: Error | undefined, answered: unknown) =>
        error ? reject(error) : resolve(answered),
      ),
    );
    expect(result).toEqual({ rows: [{ id: 1 }] });
    expect(sentQueries()[0]).toMatchObject({ name: expect.stringMatching(/^petstore_\d+$/), values: [3] });
  });

  it('gives other statements other names', async () => {
    const client = new ServiceDatabaseClient();
    await client.query('SELECT name FROM pet WHERE id = $1', [1]);
    await client.query('SELECT status FROM pet WHERE id = $1', [1]);
    const names = sentQueries().map((query) => query.name);
    expect(new Set(names).size).toBe(2);
  });

  it('sends a statement without parameters unnamed', async () => {
    const client = new ServiceDatabaseClient();
    await client.query('COMMIT');
    await client.query('SELECT 1', []);
    const [commit, select] = sentQueries();
    expect(commit).toMatchObject({ text: 'COMMIT', values: undefined });
    expect(select).toMatchObject({ text: 'SELECT 1', values: [] });
    expect([commit.name, select.name]).toEqual([undefined, undefined]);
  });

  it('passes a call it does not know through as it came', () => {
    const config = { text: 'SELECT $1::int', values: [1] };
    new ServiceDatabaseClient().query(config);
    expect(sent).toEqual([[config]]);
  });

  it('leaves the connection open once a statement is answered, however long it then stays idle', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick'] });
    try {
      const client = new ServiceDatabaseClient({ answerTimeoutMillis: 1000 });
      const destroy = jest.spyOn(client.connection.stream, 'destroy');
      await client.query('SELECT * FROM pet WHERE id = $1', [1]);
      await client.query('COMMIT');
      jest.advanceTimersByTime(5000);
      expect(destroy).not.toHaveBeenCalled();
    } finally {
      jest.useRealTimers();
    }
  });

  it('prepares no new statement past the cap, and keeps preparing those it named', async () => {
    const client = new ServiceDatabaseClient();
    const named = 'SELECT id FROM pet WHERE name = $1';
    await client.query(named, ['Rex']);
    for (let variant = 0; variant < MAX_PREPARED_STATEMENTS; variant++) preparedStatementName(`SELECT ${variant} WHERE $1`);
    sent = [];
    await client.query('SELECT id FROM pet WHERE status = $1', ['sold']);
    await client.query(named, ['Rex']);
    expect(sentQueries()[0]).toMatchObject({ text: 'SELECT id FROM pet WHERE status = $1', values: ['sold'] });
    expect(sentQueries()[0].name).toBeUndefined();
    expect(sentQueries()[1]).toMatchObject({ name: expect.stringMatching(/^petstore_\d+$/), text: named });
  });
});

/** The server's refusal of a change on a standby: SQLSTATE 25006, then ready for the next statement. */
const READ_ONLY_REFUSAL = Buffer.concat([
  postgresMessage('E', Buffer.from('SERROR\0VERROR\0C25006\0Mcannot execute UPDATE in a read-only transaction\0\0')),
  READY_FOR_QUERY,
]);

/** Resolves once the socket's other end has closed it. */
function closedByClient(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.readyState === 'closed' ? resolve() : socket.once('close', () => resolve())));
}

describe('ServiceDatabaseClient on a connection that stops answering', () => {
  let database: FakePostgres;

  beforeEach(async () => {
    database = await fakePostgres();
  });

  afterEach(() => database.close());

  it('fails the statement and the one queued behind it as the database being away, and closes the connection', async () => {
    const client: Client = new ServiceDatabaseClient({ host: '127.0.0.1', port: database.port, user: 'postgres', answerTimeoutMillis: 100 });
    await client.connect();
    const reported: unknown[] = [];
    client.on('error', (error) => reported.push(error));

    const [begin, select] = await Promise.all([
      client.query('BEGIN').catch((error: unknown) => error),
      client.query('SELECT * FROM pet WHERE id = $1', [1]).catch((error: unknown) => error),
    ]);

    for (const failure of [begin, select]) {
      expect(failure).toBeInstanceOf(DatabaseSilentError);
      expect((failure as Error).message).toBe('the database did not answer within 100 ms; the connection was closed');
      expect(isDatabaseUnavailable(failure)).toBe(true);
    }
    expect(reported).toContain(begin);
    await closedByClient(database.connections[0]);
  });

  it('is dropped by the pool, which opens a new connection for the next caller', async () => {
    const pool = new Pool({
      Client: ServiceDatabaseClient,
      host: '127.0.0.1',
      port: database.port,
      user: 'postgres',
      answerTimeoutMillis: 100,
    } as never);
    pool.on('error', () => undefined);
    const first: PoolClient = await pool.connect();
    first.on('error', () => undefined);
    await expect(first.query('BEGIN')).rejects.toBeInstanceOf(DatabaseSilentError);
    // Released without the error, as a caller that did not look at it would.
    first.release();

    const next = await pool.connect();
    next.release(true);
    await pool.end();
    expect(next).not.toBe(first);
    expect(database.connections).toHaveLength(2);
  });
});

describe('ServiceDatabaseClient on a server that refuses changes as read-only', () => {
  it('fails the statement as the database being read-only, and ends the connection, so the pool opens a new one', async () => {
    const database = await fakePostgres({ answer: READ_ONLY_REFUSAL });
    const pool = new Pool({ Client: ServiceDatabaseClient, host: '127.0.0.1', port: database.port, user: 'postgres' } as never);
    try {
      const first: PoolClient = await pool.connect();
      const refusal = await first.query("UPDATE pet SET name = 'Rex'").catch((error: unknown) => error);
      expect(refusal).toMatchObject({ code: '25006', message: 'cannot execute UPDATE in a read-only transaction' });
      expect(isDatabaseReadOnly(refusal)).toBe(true);
      first.release();

      const next = await pool.connect();
      next.release();
      expect(next).not.toBe(first);
      await closedByClient(database.connections[0]);
    } finally {
      await pool.end();
      await database.close();
    }
  });
});
