import { Client, Query, QueryResult } from 'pg';

/**
 * Distinct statements prepared at most, per process. The services send a few dozen statements
 * over and over; a statement built with a varying number of placeholders would otherwise add a
 * new prepared statement (and its cached plan, on every pooled connection) for each variant.
 */
export const MAX_PREPARED_STATEMENTS = 200;

const statementNames = new Map<string, string>();

/** The name the statement is prepared under, or undefined once the cap is reached for a new one. */
export function preparedStatementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_PREPARED_STATEMENTS) {
    name = `petstore_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

type QueryCallback = (error: Error | undefined, result: QueryResult) => void;

/**
 * node-postgres' client, preparing every statement sent with parameters: the first time on a
 * connection it is parsed and planned under a name, afterwards only bound and executed. TypeORM
 * sends each `query()` unnamed, so Postgres would parse and plan it again every time, which cost
 * more of its CPU than running it (docs/performance.md, "Prepared statements"). A statement
 * without parameters (BEGIN, COMMIT, DDL) is sent as it is.
 */
export class PreparingClient extends Client {
  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    const name = typeof text === 'string' && Array.isArray(values) && values.length > 0 ? preparedStatementName(text) : undefined;
    // node-postgres' query() has a dozen overloads; the arguments of any other call pass through as they came.
    if (name === undefined) return Reflect.apply(super.query, this, args) as never;
    if (typeof callback === 'function') {
      this.submitPrepared(name, text as string, values as unknown[], callback as QueryCallback);
      return undefined as never;
    }
    return new Promise<QueryResult>((resolve, reject) =>
      this.submitPrepared(name, text as string, values as unknown[], (error, result) => (error ? reject(error) : resolve(result))),
    ) as never;
  }

  /**
   * Sends a Query made from the text and named afterwards, where node-postgres reads the name
   * when it sends it. Not a `{ name, text, values }` config: node-postgres copies every property
   * descriptor of a config object, about 1.5 µs per statement (docs/performance.md, "nineteenth
   * session").
   */
  private submitPrepared(name: string, text: string, values: unknown[], callback: QueryCallback): void {
    super.query(Object.assign(new Query(text, values, callback), { name }));
  }
}
