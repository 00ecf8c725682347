import { EntityManager } from 'typeorm';

export type SequencedTable = 'pet' | 'category' | 'tag';

/**
 * Ids a client chose do not move the table's sequence (a client choosing the largest id would
 * otherwise end id generation); when a generated id turns out taken, the sequence skips past
 * the run of taken ids that starts there.
 */
export async function nextGeneratedId(manager: EntityManager, table: SequencedTable): Promise<number> {
  const [{ id }] = await manager.query(`SELECT nextval('${table}_id_seq') AS id`);
  return Number(id);
}

export async function skipTakenIds(manager: EntityManager, table: SequencedTable, takenId: number): Promise<void> {
  await manager.query(
    `SELECT setval('${table}_id_seq', (
       SELECT min(t.id) FROM ${table} t
       WHERE t.id >= $1 AND NOT EXISTS (SELECT 1 FROM ${table} u WHERE u.id = t.id + 1)))`,
    [takenId],
  );
}
