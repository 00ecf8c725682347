import { api, eventually } from '../support/api';
import { inDatabase } from '../support/databases';
import { signUpCustomer, storeOwnerToken, TestUser } from '../support/users';
import {
  approveOrder,
  cancelOrder,
  Counts,
  createPet,
  inventory,
  inventoryStatusOf,
  orderInventory,
  orderPet,
  petBecomes,
  plus,
  settledCounts,
} from './store-fixtures';

function canonical(counts: Counts): string {
  return JSON.stringify(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** Waits until `read` answers exactly `expected`; inventory is built from events, so it follows shortly. */
function countsBecome(read: () => Promise<Counts>, expected: Counts): Promise<Counts> {
  let last: Counts = {};
  return eventually(
    async () => {
      last = await read();
      return canonical(last) === canonical(expected) ? last : undefined;
    },
    20000,
    `counts ${JSON.stringify(expected)}`,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last seen ${JSON.stringify(last)}`);
  });
}

/** Pets per status as pet-service itself holds them, read from the suite's own pet database. */
async function petServiceCounts(): Promise<Counts> {
  const { rows } = await inDatabase('pet-service', (client) =>
    client.query<{ status: string; count: number }>('SELECT status, count(*)::int AS count FROM pet GROUP BY status'),
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}

function withoutZeros(counts: Counts): Counts {
  return Object.fromEntries(Object.entries(counts).filter(([, count]) => count !== 0));
}

describe('getInventory', () => {
  let alice: TestUser;
  let owner: string;

  beforeAll(async () => {
    [alice, owner] = await Promise.all([signUpCustomer('inventory'), storeOwnerToken()]);
  });

  it('answers the Petstore map of every pet status to a count', async () => {
    const response = await api<Counts>('GET', '/api/v3/store/inventory', { token: owner });

    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['available', 'pending', 'sold']);
    for (const count of Object.values(response.body)) expect(Number.isInteger(count) && count >= 0).toBe(true);
  });

  it('is for store owners only', async () => {
    expect((await api('GET', '/api/v3/store/inventory', { token: alice.token })).status).toBe(403);
    expect((await api('GET', '/api/v3/store/inventory')).status).toBe(401);
    expect((await api('GET', '/api/v3/store/inventory/orders', { token: alice.token })).status).toBe(403);
  });

  it('learns of a new pet from pet-events: pet-service produces, inventory-service consumes through the broker', async () => {
    const pet = await createPet('inventory');

    await eventually(async () => ((await inventoryStatusOf(pet.id)) === 'available' ? true : undefined), 20000, 'inventory sees the pet');
  });

  it('follows pets through order, approval, cancellation and deletion, counting each pet once', async () => {
    const pets = await settledCounts(inventory);
    const orders = await settledCounts(orderInventory);

    const [kept, sold, cancelled, deleted] = await Promise.all([1, 2, 3, 4].map(() => createPet('counted')));
    await countsBecome(inventory, plus(pets, { available: 4 }));

    const heldOrder = await orderPet(alice.token, kept.id);
    const soldOrder = await orderPet(alice.token, sold.id);
    const cancelledOrder = await orderPet(alice.token, cancelled.id);
    await countsBecome(inventory, plus(pets, { available: 1, pending: 3 }));
    await countsBecome(orderInventory, plus(orders, { placed: 3 }));

    await approveOrder(owner, soldOrder.id);
    await cancelOrder(alice.token, cancelledOrder.id);
    await petBecomes(cancelled.id, 'available');
    expect((await api('DELETE', `/api/v3/pet/${deleted.id}`, { token: owner })).status).toBe(200);

    await countsBecome(inventory, plus(pets, { available: 1, pending: 1, sold: 1 }));
    await countsBecome(orderInventory, plus(orders, { placed: 1, approved: 1 }));
    expect(await inventoryStatusOf(deleted.id)).toBe('absent');
    expect(await inventoryStatusOf(kept.id)).toBe('pending');
    expect(heldOrder.status).toBe('placed');
  });

  it("equals pet-service's own count of every pet by status, built from scratch out of the events of this run", async () => {
    const expected = await petServiceCounts();
    expect(Object.values(expected).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
    await countsBecome(async () => withoutZeros(await inventory()), expected);
  });
});
