import { ApiResponse, eventually } from '../../support/api';
import { inDatabase } from '../../support/databases';
import type { TestUser } from '../../support/users';
import { createPet, OrderBody, placeOrder } from '../../store/store-fixtures';
import { sleep } from './faults';

interface PetRow {
  id: number;
  status: string;
  holder: number | null;
}

interface OrderRow {
  id: number;
  pet_id: number;
  state: string;
}

/** What each pet status says about the order holding it. */
const HOLDING_STATES: Record<string, string[]> = { pending: ['placed'], sold: ['approved', 'delivered'] };
const LIVE_STATES = ['placed', 'approved'];

function countsByStatus(rows: { status: string; count: number }[]): string {
  return JSON.stringify(Object.fromEntries(rows.map((row) => [row.status, row.count]).sort()));
}

/**
 * Everything that disagrees across the services' own databases right now: an order still
 * waiting for its reservation; a pet whose status does not match exactly one live order for it;
 * a live order whose pet is not held for it; inventory's counts not equal to pet-service's.
 */
export async function inconsistencies(): Promise<string[]> {
  const [pets, petCounts] = await inDatabase(
    'pet-service',
    async (client) =>
      [
        (await client.query<PetRow>('SELECT id::int, status, reserved_by_order_id::int AS holder FROM pet')).rows,
        (await client.query<{ status: string; count: number }>('SELECT status, count(*)::int AS count FROM pet GROUP BY status')).rows,
      ] as const,
  );
  const orders = await inDatabase(
    'order-service',
    async (client) => (await client.query<OrderRow>('SELECT id::int, pet_id::int, state FROM orders')).rows,
  );
  const inventoryCounts = await inDatabase(
    'inventory-service',
    async (client) =>
      (
        await client.query<{ status: string; count: number }>(
          'SELECT status, count(*)::int AS count FROM inventory_pet WHERE NOT deleted GROUP BY status',
        )
      ).rows,
  );

  const problems: string[] = [];
  const orderById = new Map(orders.map((order) => [order.id, order]));
  const petById = new Map(pets.map((pet) => [pet.id, pet]));
  for (const order of orders) {
    if (order.state === 'requested') problems.push(`order ${order.id} (pet ${order.pet_id}) is still requested`);
  }
  for (const pet of pets) {
    const live = orders.filter((order) => order.pet_id === pet.id && LIVE_STATES.includes(order.state));
    if (pet.status === 'available') {
      if (live.length > 0) problems.push(`pet ${pet.id} is available but order ${live.map((o) => o.id).join(', ')} is live for it`);
      continue;
    }
    const holder = pet.holder === null ? undefined : orderById.get(pet.holder);
    if (!holder || holder.pet_id !== pet.id || !HOLDING_STATES[pet.status]?.includes(holder.state)) {
      problems.push(
        `pet ${pet.id} is ${pet.status} for order ${pet.holder}, which is ${holder ? `${holder.state} for pet ${holder.pet_id}` : 'unknown to order-service'}`,
      );
    }
    if (live.length > 1) problems.push(`pet ${pet.id} has ${live.length} live orders: ${live.map((o) => o.id).join(', ')}`);
  }
  for (const order of orders.filter((o) => LIVE_STATES.includes(o.state))) {
    const pet = petById.get(order.pet_id);
    if (pet?.holder !== order.id)
      problems.push(`order ${order.id} is ${order.state} but pet ${order.pet_id} is held by ${pet ? pet.holder : 'nobody (deleted)'}`);
  }
  if (countsByStatus(inventoryCounts) !== countsByStatus(petCounts)) {
    problems.push(`inventory counts ${countsByStatus(inventoryCounts)} differ from pet-service's ${countsByStatus(petCounts)}`);
  }
  return problems;
}

/** Waits until the services agree again after a fault, or fails listing what still disagrees. */
export async function settlesConsistently(timeoutMs = 90000): Promise<void> {
  let last: string[] = [];
  await eventually(
    async () => {
      last = await inconsistencies();
      return last.length === 0 ? true : undefined;
    },
    timeoutMs,
    'the services to agree',
  ).catch((error: Error) => {
    throw new Error(`${error.message}:\n  ${last.join('\n  ')}`);
  });
}

/**
 * The answers placeOrder gave during a fault: never a 500, and every order answered 200 or 202
 * exists now, placed (or further) or rejected with its pet released.
 */
export async function answersHeldTrue(answers: { status: number; body: unknown }[]): Promise<void> {
  expect(answers.filter((answer) => answer.status >= 500 && answer.status !== 503)).toEqual([]);
  const accepted = answers.filter((answer) => answer.status === 200 || answer.status === 202).map((answer) => (answer.body as { id: number }).id);
  const orders = await inDatabase(
    'order-service',
    async (client) => (await client.query<OrderRow>('SELECT id::int, pet_id::int, state FROM orders WHERE id = ANY($1)', [accepted])).rows,
  );
  expect(orders.map((order) => order.id).sort((a, b) => a - b)).toEqual([...accepted].sort((a, b) => a - b));
  for (const order of orders) expect(['placed', 'approved', 'delivered', 'cancelled', 'rejected']).toContain(order.state);
}

/** Orders for fresh pets, two clients per pet, as a stream: some in flight whenever the fault hits. */
export async function ordersUnderFault(customers: TestUser[], fault: () => Promise<void>): Promise<ApiResponse<OrderBody>[]> {
  const pets = await Promise.all(Array.from({ length: 6 }, () => createPet('fault')));
  const answers: Promise<ApiResponse<OrderBody>>[] = [];
  const placing = (async () => {
    for (const pet of pets) {
      for (const customer of customers) answers.push(placeOrder(customer.token, { petId: pet.id, quantity: 1 }));
      await sleep(150);
    }
  })();
  await sleep(300);
  await fault();
  await placing;
  return Promise.all(answers);
}
