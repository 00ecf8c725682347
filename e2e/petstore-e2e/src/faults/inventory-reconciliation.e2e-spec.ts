import { Topics } from '@petstore/contracts';
import { api, eventually } from '../support/api';
import { expireMessages, waitForGroupToCatchUp } from '../support/kafka';
import { stack } from '../support/stack';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { signUpCustomer, storeOwnerToken } from '../support/users';
import { createPet, inventoryStatusOf, orderPet, petBecomes } from '../store/store-fixtures';
import { settlesConsistently } from './support/consistency';

/** The groups that go on reading pet-events while inventory-service is away: they must have read what expires. */
const OTHER_PET_EVENT_GROUPS = ['order-service', 'photo-service'];

function inventoryBecomes(petId: number, status: string): Promise<string> {
  return eventually(
    async () => ((await inventoryStatusOf(petId)) === status ? status : undefined),
    30000,
    `inventory to show pet ${petId} ${status}`,
  );
}

/**
 * The inventory is built from pet-events. inventory-service away longer than the topic's
 * retention (7 days) finds the events of that time gone when it returns: its group's offsets
 * fall before the topic's new start, and it goes on from there. The fault is the time that
 * passed: the messages are deleted as retention would delete them.
 */
describe('inventory-service back after the events of its absence expired', () => {
  afterEach(async () => {
    if (!(await fetch(`${stack.urlOf('inventory-service')}/health`).catch(() => undefined)))
      await stack.restartApp('inventory-service', SUITE_ENVIRONMENT);
  });

  it('counts every pet as pet-service has it: one created, one deleted and one reserved while it was away', async () => {
    const owner = await storeOwnerToken();
    const customer = await signUpCustomer('reconciled');
    const deletedMeanwhile = await createPet('deleted-while-away');
    const reservedMeanwhile = await createPet('reserved-while-away');
    await inventoryBecomes(deletedMeanwhile.id, 'available');
    await inventoryBecomes(reservedMeanwhile.id, 'available');

    await stack.stopApp('inventory-service');
    const createdMeanwhile = await createPet('created-while-away');
    expect((await api('DELETE', `/api/v3/pet/${deletedMeanwhile.id}`, { token: owner })).status).toBe(200);
    await orderPet(customer.token, reservedMeanwhile.id);
    await petBecomes(reservedMeanwhile.id, 'pending');
    for (const group of OTHER_PET_EVENT_GROUPS) await waitForGroupToCatchUp(group, Topics.PetEvents);
    await expireMessages(Topics.PetEvents);

    await stack.restartApp('inventory-service', SUITE_ENVIRONMENT);

    await inventoryBecomes(createdMeanwhile.id, 'available');
    await inventoryBecomes(deletedMeanwhile.id, 'absent');
    await inventoryBecomes(reservedMeanwhile.id, 'pending');
    await settlesConsistently();
  });
});
