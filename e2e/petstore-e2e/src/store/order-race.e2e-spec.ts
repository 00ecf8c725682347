import { signUpCustomer, TestUser } from '../support/users';
import { createPet, inventoryStatusOf, listOrders, OrderBody, petStatus, placeOrder } from './store-fixtures';
import { eventually } from '../support/api';

const CLIENTS = 50;

describe('fifty clients ordering the same pet at once', () => {
  let customers: TestUser[];

  beforeAll(async () => {
    customers = [];
    for (let batch = 0; batch < CLIENTS / 10; batch++) {
      customers.push(...(await Promise.all(Array.from({ length: 10 }, () => signUpCustomer('racer')))));
    }
  });

  it('gives the pet to exactly one of them: one 200, forty-nine 409, one order, the pet pending', async () => {
    const pet = await createPet('race-pet');

    const answers = await Promise.all(customers.map((customer) => placeOrder(customer.token, { petId: pet.id, quantity: 1 })));

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(CLIENTS - 1);
    for (const refused of answers.filter((answer) => answer.status === 409)) {
      expect(refused.body).toMatchObject({ message: expect.stringContaining(`pet ${pet.id} is not available`) });
    }
    const winner = answers.find((answer) => answer.status === 200)?.body as OrderBody;
    expect(winner).toMatchObject({ petId: pet.id, status: 'placed' });
    expect(await listOrders({ petId: String(pet.id) })).toEqual([winner]);
    expect(await petStatus(pet.id)).toBe('pending');
    await eventually(async () => ((await inventoryStatusOf(pet.id)) === 'pending' ? true : undefined), 20000, 'inventory shows the pet pending');
  });
});
