import { eventually } from '../support/api';
import { inDatabase } from '../support/databases';
import { signUpCustomer } from '../support/users';
import { createPet, orderPet } from './store-fixtures';

const AVAILABLE_PETS = 1000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Every scan of the table in a plan, with the rows it read (returned and filtered away). */
function rowsScannedFrom(table: string, node: PlanNode): number[] {
  const scansTable = node['Relation Name'] === table && node['Node Type'].endsWith('Scan');
  const own = scansTable ? [(node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0)] : [];
  return [...own, ...(node.Plans ?? []).flatMap((child) => rowsScannedFrom(table, child))];
}

/** The statement pet-service runs to reserve a pet, as it sent it: caught waiting for a row the test holds. */
async function reservationStatement(): Promise<string> {
  const [customer, pet] = await Promise.all([signUpCustomer('plan'), createPet('plan')]);
  return inDatabase('pet-service', async (holder) => {
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM pet WHERE id = $1 FOR UPDATE', [pet.id]);
    const order = orderPet(customer.token, pet.id);
    // Asked outside the holder's transaction, whose view of pg_stat_activity stays as it first read it.
    const statement = await eventually(
      () =>
        inDatabase('pet-service', async (observer) => {
          const { rows } = await observer.query<{ query: string }>(
            `SELECT query FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ~* '\\mUPDATE\\s+pet\\s+SET\\s+status'`,
          );
          return rows[0]?.query;
        }),
      20000,
      'the reservation waiting for the pet',
    );
    await holder.query('COMMIT');
    await order;
    return statement;
  });
}

/**
 * After five runs of a prepared statement Postgres may switch to a generic plan, made without the
 * parameters' values, and keeps it for the connection until the table's statistics change. A plan
 * cached while the pet table was empty, run once the table has grown with no ANALYZE since
 * (autovacuum off, or before its first pass), must still find the pet by its id, not read every
 * pet in the status the statement checks. The probe forces the generic plan and builds it on an
 * empty copy of the table.
 */
describe('reserving a pet under a plan cached on an empty table', () => {
  it('reads the reserved pet alone, with a thousand others available', async () => {
    const reserve = await reservationStatement();
    await inDatabase('pet-service', async (probe) => {
      // An empty copy of the table with its indexes, for this session only: it shadows the real one.
      await probe.query('CREATE TEMPORARY TABLE pet (LIKE public.pet INCLUDING ALL)');
      await probe.query('SET plan_cache_mode = force_generic_plan');
      await probe.query(`PREPARE reserve AS ${reserve}`);
      await probe.query('EXPLAIN EXECUTE reserve(1, 1)');
      await probe.query(
        `INSERT INTO pet (id, name, status, version) SELECT n, 'probe-' || n, 'available', 1 FROM generate_series(1, ${AVAILABLE_PETS}) n`,
      );

      const { rows } = await probe.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE reserve(${AVAILABLE_PETS / 2}, 1)`,
      );
      const [{ Plan: plan }] = rows[0]['QUERY PLAN'];

      expect(rowsScannedFrom('pet', plan)).toEqual([1]);
    });
  });
});
