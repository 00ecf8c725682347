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
