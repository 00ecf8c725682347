import { Client, ClientConfig, Query, QueryResult } from 'pg';
import { DatabaseSilentError, isDatabaseReadOnly } from './postgres';
import { preparedStatementName } from './prepared-statements';

export interface DatabaseClientConfig extends ClientConfig {
  /**
   * How long a connection may leave a statement unanswered before it is taken for dead and
   * closed. Longer than the server's own statement_timeout, so it only fires for a server or a
   * network that stopped answering, never for a slow statement the server cancels itself.
   */
  answerTimeoutMillis?: number;
}

type QueryCallback = (error: Error | undefined, result: QueryResult) => void;

function isStatementValues(values: unknown): values is unknown[] | undefined {
  return values === undefined || Array.isArray(values);
}

/**
 * The services' node-postgres client. It prepares every statement sent with parameters: the
 * first time on a connection it is parsed and planned under a name, afterwards only bound and
 * executed. TypeORM sends each `query()` unnamed, so Postgres would parse and plan it again
 * every time, which cost more of its CPU than running it (docs/performance.md, "Prepared
 * statements"). A statement without parameters (BEGIN, COMMIT, DDL) is sent unnamed.
 *
 * It closes a connection that leaves a statement unanswered for `answerTimeoutMillis`, failing
 * that statement and any queued behind it with a DatabaseSilentError. node-postgres' own
 * `query_timeout` fails the statement but keeps the connection, still waiting for the answer:
 * the pool then handed it to the next transaction, which waited as long again, and so on until
 * the operating system gave up on the connection (about 15 minutes). Closed, it is dropped by
 * the pool, whose next request opens a new one.
 *
 * It also ends a connection whose server refused a change as read-only: a session on a standby
 * (a former primary after a failover) stays read-only for its whole life, so only a new
 * connection can reach the server that accepts changes again.
 */
export class ServiceDatabaseClient extends Client {
  private readonly answerTimeoutMs: number | undefined;

  constructor(config?: DatabaseClientConfig) {
    super(config);
    this.answerTimeoutMs = config?.answerTimeoutMillis;
  }

  override query(...args: unknown[]): never {
    const [text, second, third] = args;
    const values = typeof second === 'function' ? undefined : second;
    const callback = typeof second === 'function' ? second : third;
    // node-postgres' query() has a dozen overloads; a config object, a Submittable or a
    // malformed call passes through as it came (the services send none).
    if (typeof text !== 'string' || !isStatementValues(values)) {
      return Reflect.apply(super.query, this, args) as never;
    }
    if (typeof callback === 'function') {
      this.send(text, values, callback as QueryCallback);
      return undefined as never;
    }
    return new Promise<QueryResult>((resolve, reject) =>
      this.send(text, values, (error, result) => (error ? reject(error) : resolve(result))),
    ) as never;
  }

  /**
   * Sends a Query made from the text, named afterwards where node-postgres reads the name when it
   * sends it. Not a `{ name, text, values }` config: node-postgres copies every property
   * descriptor of a config object, about 1.5 µs per statement (docs/performance.md, "nineteenth
   * session").
   */
  private send(text: string, values: unknown[] | undefined, callback: QueryCallback): void {
    const timeoutMs = this.answerTimeoutMs;
    const timer =
      timeoutMs === undefined ? undefined : setTimeout(() => this.connection.stream.destroy(new DatabaseSilentError(timeoutMs)), timeoutMs);
    const query = new Query(text, values, (error: Error | undefined, result: QueryResult) => {
      clearTimeout(timer);
      if (error && isDatabaseReadOnly(error)) void this.end();
      callback(error, result);
    });
    const name = values && values.length > 0 ? preparedStatementName(text) : undefined;
    super.query(name === undefined ? query : Object.assign(query, { name }));
  }
}
