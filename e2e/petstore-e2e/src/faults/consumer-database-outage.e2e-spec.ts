import { createPet, orderPet, placeOrder } from '../store/store-fixtures';
import { eventually } from '../support/api';
import { signUpCustomer, TestUser } from '../support/users';
import { answersHeldTrue, settlesConsistently } from './support/consistency';
import { databaseAway, databaseBack, deadLetters, healthOf, lockTable, parkedBy, sleep } from './support/faults';

/**
 * A consumer whose database fails for a while must wait the failure out, message by message,
 * for however long it lasts: nothing parked on a dead-letter topic, nothing skipped.
 */
describe('a consumer whose database fails for a while', () => {
  let alice: TestUser;

  beforeAll(async () => {
    alice = await signUpCustomer('consumer-outage');
  });

  afterEach(() => databaseBack('inventory-service'));

  it('inventory-service waits out its database being away, then counts every change it missed', async () => {
    await settlesConsistently();
    const parkedBefore = await parkedBy('inventory-service');

    await databaseAway('inventory-service');
    const pets = await Promise.all(Array.from({ length: 4 }, () => createPet('db-away')));
    await orderPet(alice.token, pets[0].id);
    await orderPet(alice.token, pets[1].id);
    // Longer than the old retry budget (five attempts, about 6 s) that parked these events for good.
    await sleep(12000);
    const whileAway = await healthOf('inventory-service');
    expect(whileAway.status).toBe(503);
    expect(whileAway.body.details?.database?.status).toBe('down');

    await databaseBack('inventory-service');
    await settlesConsistently();
    expect(await parkedBy('inventory-service')).toEqual(parkedBefore);
    // The pets' counts can agree while a partition of order-events still sits out its last retry (up to 5 s).
    const consumer = await eventually(
      async () => {
        const details = (await healthOf('inventory-service')).body.details?.consumer;
        return details?.state === 'consuming' ? details : undefined;
      },
      30000,
      "inventory-service's consumer consuming again",
    );
    expect(consumer).toMatchObject({ status: 'up', state: 'consuming', waiting: [] });
  });

  it('order-service waits out lock timeouts on its inbox, says it is degraded meanwhile, and places the order after', async () => {
    await settlesConsistently();
    const pet = await createPet('inbox-locked');
    const release = await lockTable('order-service', 'inbox_event');
    let answer: Awaited<ReturnType<typeof placeOrder>>;
    try {
      const placing = placeOrder(alice.token, { petId: pet.id, quantity: 1 });
      // The first attempt fails after the pool's 10 s lock timeout; the partition then waits.
      const degraded = await (async () => {
        for (let i = 0; i < 40; i++) {
          const consumer = (await healthOf('order-service')).body.details?.consumer;
          if (consumer?.state === 'degraded') return consumer;
          await sleep(500);
        }
        return undefined;
      })();
      expect(degraded).toMatchObject({ status: 'up', state: 'degraded', waiting: [expect.objectContaining({ topic: 'pet-events' })] });
      answer = await placing;
    } finally {
      await release();
    }
    expect(answer.status).toBe(202);
    await settlesConsistently();
    await answersHeldTrue([answer]);
    expect((await deadLetters('list', '--group', 'order-service')).filter((m) => m.topic === 'pet-events')).toEqual([]);
  });
});
