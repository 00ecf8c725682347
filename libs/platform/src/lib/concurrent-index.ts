import { QueryRunner } from 'typeorm';

/**
 * Builds an index without blocking the writes to its table, in a migration with
 * `transaction = false` (CREATE INDEX CONCURRENTLY cannot run in a transaction). The build first
 * waits for every transaction older than it, for as long as they take: under the sessions' lock
 * timeout that wait failed the migration. A failed build leaves an invalid index behind, which
 * IF NOT EXISTS would then keep, unused, for good: an invalid index of the name is dropped and
 * built again.
 */
export async function createIndexConcurrently(queryRunner: QueryRunner, name: string, definition: string): Promise<void> {
  await queryRunner.query(`SET lock_timeout = 0`);
  try {
    if (await isInvalidIndex(queryRunner, name)) await queryRunner.query(`DROP INDEX CONCURRENTLY ${name}`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ${name} ${definition}`);
  } finally {
    await queryRunner.query(`RESET lock_timeout`);
  }
}

async function isInvalidIndex(queryRunner: QueryRunner, name: string): Promise<boolean> {
  const rows: { valid: boolean }[] = await queryRunner.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)`, [name]);
  return rows.length > 0 && !rows[0].valid;
}
