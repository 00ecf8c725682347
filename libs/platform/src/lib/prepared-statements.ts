import { Client, QueryConfig } from 'pg';

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
    const prepared: QueryConfig | undefined = name === undefined ? undefined : { name, text: text as string, values: values as unknown[] };
    // node-postgres' query() has a dozen overloads; the arguments pass through as they came.
    return Reflect.apply(super.query, this, prepared ? [prepared, callback] : args) as never;
  }
}
