import { ReadModel } from '@petstore/platform';
import { api, eventually } from '../support/api';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { stack } from '../support/stack';
import { signUpCustomer, storeOwnerToken, TestUser } from '../support/users';
import { approveOrder, createPet, getOrder, inventoryBecomes, orderPet, petBecomes } from '../store/store-fixtures';
import { settlesConsistently } from './support/consistency';
import { logOf, restartedIfStopped } from './support/faults';
import { correctionsCounted } from './support/read-model-checks';

async function deleteUser(owner: string, user: TestUser): Promise<void> {
  expect((await api('DELETE', `/api/v3/user/${user.username}`, { token: owner })).status).toBe(200);
}

/**
 * A deleted user's placed orders held their pets pending: nobody but the store owner could cancel
 * them, and an approval shipped to a user who no longer exists. order-service checks the users
 * of its placed orders against user-service (every minute, and 5 s after a start, which these
 * cases use to check now) and cancels the placed orders of deleted users; an approval asks first.
 */
describe("a deleted user's placed orders", () => {
  afterEach(async () => {
    await restartedIfStopped('user-service');
    await restartedIfStopped('order-service');
  });

  it('are cancelled and their pets released; their approved order and other users’ orders stay', async () => {
    const owner = await storeOwnerToken();
    const [leaving, staying] = [await signUpCustomer('leaving'), await signUpCustomer('staying')];
    const placed = await orderPet(leaving.token, (await createPet('ordered-by-leaving')).id);
    const approved = await orderPet(leaving.token, (await createPet('approved-for-leaving')).id);
    expect((await approveOrder(owner, approved.id)).status).toBe(200);
    const othersOrder = await orderPet(staying.token, (await createPet('ordered-by-staying')).id);

    await deleteUser(owner, leaving);
    await stack.stopApp('order-service');
    await stack.restartApp('order-service', SUITE_ENVIRONMENT);

    await petBecomes(placed.petId, 'available', 30000);
    await inventoryBecomes(placed.petId, 'available');
    expect((await getOrder(owner, placed.id)).status).toBe(404);
    expect(await correctionsCounted('order-service', ReadModel.OrdersOfDeletedUsers)).toBeGreaterThanOrEqual(1);
    expect((await getOrder(owner, approved.id)).body).toMatchObject({ status: 'approved' });
    await petBecomes(approved.petId, 'sold');
    expect((await getOrder(owner, othersOrder.id)).body).toMatchObject({ status: 'placed' });
    await petBecomes(othersOrder.petId, 'pending');
    await settlesConsistently();
  });

  it('cannot be approved: the approval cancels the order instead, saying so, and releases the pet', async () => {
    const owner = await storeOwnerToken();
    const leaving = await signUpCustomer('leaving-before-approval');
    const placed = await orderPet(leaving.token, (await createPet('approved-after-leaving')).id);
    await deleteUser(owner, leaving);

    const approval = await approveOrder(owner, placed.id);

    // The minute's check may have cancelled it first, in the instant between the two calls.
    const cancelledByCheck = { statusCode: 404, error: 'Not Found', message: `order ${placed.id} not found` };
    const refused = {
      statusCode: 409,
      error: 'Conflict',
      message: `order ${placed.id} cannot be approved: its user no longer exists, so it is cancelled and its pet released`,
    };
    expect({ status: approval.status, body: approval.body }).toEqual(
      approval.status === 404 ? { status: 404, body: cancelledByCheck } : { status: 409, body: refused },
    );
    await petBecomes(placed.petId, 'available');
    expect((await getOrder(owner, placed.id)).status).toBe(404);
  });

  it('are cancelled once user-service is back, when it was away at the check', async () => {
    const owner = await storeOwnerToken();
    const leaving = await signUpCustomer('leaving-while-away');
    const placed = await orderPet(leaving.token, (await createPet('ordered-while-away')).id);
    await deleteUser(owner, leaving);

    await stack.stopApp('user-service');
    await stack.stopApp('order-service');
    const logFrom = logOf('order-service').length;
    await stack.restartApp('order-service', SUITE_ENVIRONMENT);
    await eventually(
      async () =>
        logOf('order-service').slice(logFrom).includes('checking the users of placed orders against user-service failed') ? true : undefined,
      30000,
      'order-service to say its check failed',
    );
    await petBecomes(placed.petId, 'pending');

    await stack.restartApp('user-service', SUITE_ENVIRONMENT);
    await petBecomes(placed.petId, 'available', 30000);
    expect((await getOrder(owner, placed.id)).status).toBe(404);
    await settlesConsistently();
  });
});
