import { createPet, getOrder, placeOrder } from '../store/store-fixtures';
import { eventually } from '../support/api';
import { inDatabase } from '../support/databases';
import { signUpCustomer } from '../support/users';
import { answersHeldTrue, settlesConsistently } from './support/consistency';
import { lockTable } from './support/faults';

/** The suite runs order-service with a placement deadline short enough to see it pass (see environment.ts). */
describe('an order whose reservation is never applied', () => {
  it('is rejected at the deadline and its pet released, even though pet-service reserved it', async () => {
    const alice = await signUpCustomer('deadline');
    const pet = await createPet('deadline');
    const release = await lockTable('order-service', 'inbox_event');
    let answer: Awaited<ReturnType<typeof placeOrder>>;
    try {
      answer = await placeOrder(alice.token, { petId: pet.id, quantity: 1 });
      expect(answer.status).toBe(202);
      const orderId = answer.body.id;
      const state = await eventually(
        () =>
          inDatabase('order-service', async (client) => {
            const { rows } = await client.query<{ state: string }>('SELECT state FROM orders WHERE id = $1', [orderId]);
            return rows[0]?.state === 'rejected' ? rows[0].state : undefined;
          }),
        60000,
        `order ${orderId} rejected at the deadline`,
      );
      expect(state).toBe('rejected');
      await eventually(
        () =>
          inDatabase('pet-service', async (client) => {
            const { rows } = await client.query<{ status: string }>('SELECT status FROM pet WHERE id = $1', [pet.id]);
            return rows[0]?.status === 'available' ? true : undefined;
          }),
        30000,
        `pet ${pet.id} released`,
      );
    } finally {
      await release();
    }
    // The PET_RESERVED applied late finds the order rejected and releases nothing more.
    await settlesConsistently();
    await answersHeldTrue([answer]);
    expect((await getOrder(alice.token, answer.body.id)).status).toBe(404);
  });
});
