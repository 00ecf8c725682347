import { approveOrder, cancelOrder, createPet, OrderBody, orderPet, PetBody, petStatus, placeOrder } from '../store/store-fixtures';
import { inDatabase } from '../support/databases';
import { signUpCustomer, storeOwnerToken } from '../support/users';
import { settlesConsistently } from './support/consistency';
import { atTheDefaultOf } from './support/faults';

const DEFAULT_LIMIT = 10;

function createPets(count: number): Promise<PetBody[]> {
  return Promise.all(Array.from({ length: count }, () => createPet('hoard')));
}

/** order_db's orders for the pets, whatever their state. */
async function ordersFor(pets: PetBody[]): Promise<{ petId: number; state: string }[]> {
  return inDatabase('order-service', async (client) => {
    const { rows } = await client.query<{ petId: number; state: string }>(
      'SELECT pet_id::int AS "petId", state FROM orders WHERE pet_id = ANY($1) ORDER BY id',
      [pets.map((pet) => pet.id)],
    );
    return rows;
  });
}

/**
 * Runs `work` while every insert into order_db's orders takes 50 ms more (a trigger that sleeps):
 * each allocation's row stays uncommitted that long, so allocations that counted the user's
 * orders without waiting for each other would all find room.
 */
async function whileOrderInsertsAreSlow<T>(work: () => Promise<T>): Promise<T> {
  await inDatabase('order-service', (client) =>
    client.query(`
      CREATE OR REPLACE FUNCTION slow_order_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.05); RETURN NEW; END $$;
      CREATE TRIGGER slow_order_insert AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION slow_order_insert();`),
  );
  try {
    return await work();
  } finally {
    await inDatabase('order-service', (client) => client.query('DROP TRIGGER slow_order_insert ON orders; DROP FUNCTION slow_order_insert()'));
  }
}

function refusalOf(username: string): string {
  return (
    `${username} already has ${DEFAULT_LIMIT} orders placed and awaiting the store's approval, the most one user may have; ` +
    'cancel one or wait until the store approves one, then order again. No order was placed and no pet reserved'
  );
}

/**
 * A hostile customer could hold every pet in the store: placed orders wait for the store's
 * decision, and each holds its pet. order-service runs here with the default limit (the suite's
 * other specs run with room for many orders per customer), restarted before and after.
 */
describe('a customer ordering pet after pet', () => {
  atTheDefaultOf('order-service', 'MAX_PLACED_ORDERS_PER_USER');

  it(`holds at most ${DEFAULT_LIMIT} pets awaiting the store's decision: the next order is 409, reserving nothing, until one is approved or cancelled`, async () => {
    const hoarder = await signUpCustomer('hoarder');
    const pets = await createPets(DEFAULT_LIMIT + 2);
    const placed: OrderBody[] = [];
    for (const pet of pets.slice(0, DEFAULT_LIMIT)) placed.push(await orderPet(hoarder.token, pet.id));
    const [oneMore, yetAnother] = pets.slice(DEFAULT_LIMIT);

    expect(await placeOrder(hoarder.token, { petId: oneMore.id, quantity: 1 })).toMatchObject({
      status: 409,
      body: { message: refusalOf(hoarder.username) },
    });
    expect(await petStatus(oneMore.id)).toBe('available');
    expect(await ordersFor([oneMore])).toEqual([]);

    const someoneElse = await signUpCustomer('shopper');
    expect((await placeOrder(someoneElse.token, { petId: yetAnother.id, quantity: 1 })).status).toBe(200);

    expect((await approveOrder(await storeOwnerToken(), placed[0].id)).status).toBe(200);
    expect((await placeOrder(hoarder.token, { petId: oneMore.id, quantity: 1 })).status).toBe(200);
    const extra = await createPet('hoard');
    expect((await placeOrder(hoarder.token, { petId: extra.id, quantity: 1 })).status).toBe(409);
    expect((await cancelOrder(hoarder.token, placed[1].id)).status).toBe(200);
    expect((await placeOrder(hoarder.token, { petId: extra.id, quantity: 1 })).status).toBe(200);
    await settlesConsistently();
  });

  it(`sends many orders at once to a slow database: exactly ${DEFAULT_LIMIT} are placed, the others 409 with their pets still available`, async () => {
    const hoarder = await signUpCustomer('hoarder');
    const pets = await createPets(DEFAULT_LIMIT + 6);

    const answers = await whileOrderInsertsAreSlow(() => Promise.all(pets.map((pet) => placeOrder(hoarder.token, { petId: pet.id, quantity: 1 }))));

    const statuses = answers.map((answer) => answer.status);
    expect([...statuses].sort()).toEqual([...Array(DEFAULT_LIMIT).fill(200), ...Array(6).fill(409)]);
    const refused = pets.filter((_, index) => statuses[index] === 409);
    expect(await Promise.all(refused.map((pet) => petStatus(pet.id)))).toEqual(refused.map(() => 'available'));
    const states = (await ordersFor(pets)).map((order) => order.state);
    expect(states).toEqual(Array.from({ length: DEFAULT_LIMIT }, () => 'placed'));
    await settlesConsistently();
  });
});
