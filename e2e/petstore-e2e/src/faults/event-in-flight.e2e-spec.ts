import { ReadModel } from '@petstore/platform';
import { addPet, photoCountOf } from '../pets/support/pets';
import { api, eventually } from '../support/api';
import { SUITE_ENVIRONMENT, withTheDefaultOf } from '../support/environment';
import { stack } from '../support/stack';
import { signUpCustomer, storeOwnerToken } from '../support/users';
import { cancelOrder, createPet, inventoryBecomes, inventoryStatusOf, orderPet, petBecomes, petStatus } from '../store/store-fixtures';
import { lockRows } from './support/faults';
import { correctionsCounted } from './support/read-model-checks';

const AT_THE_DEFAULT_SETTLE = withTheDefaultOf('READ_MODEL_CHECK_SETTLE_SECONDS');

/**
 * A read model's check compares it with the data's owner and corrects what is behind, counting
 * each correction as an event lost. A change whose event is still on its way (published, not
 * yet applied) is behind too, for as long as the event takes; under load some always are. Here
 * the event is held up at the consumer (its row locked in the model's database, as a long
 * transaction would) while the app restarts at its default READ_MODEL_CHECK_SETTLE_SECONDS and
 * makes its first check; the check must complete without taking that change, and the event then
 * applies it. The suite's other specs check with no wait (0 s), right after the changes they expire.
 */
describe('a read-model check that meets an event still on its way', () => {
  afterAll(async () => {
    for (const app of ['inventory-service', 'pet-service', 'photo-service']) {
      await stack.stopApp(app);
      await stack.restartApp(app, SUITE_ENVIRONMENT);
    }
  });

  it('inventory: completes without taking the pet, which its event then brings', async () => {
    const pet = await createPet('in-flight-to-inventory');
    await inventoryBecomes(pet.id, 'available');
    await stack.stopApp('inventory-service');
    const release = await lockRows('inventory-service', 'inventory_pet', 'pet_id = $1', [pet.id]);
    try {
      expect((await api('DELETE', `/api/v3/pet/${pet.id}`, { token: await storeOwnerToken() })).status).toBe(200);

      await stack.restartApp('inventory-service', AT_THE_DEFAULT_SETTLE);

      await correctionsCounted('inventory-service', ReadModel.InventoryPets);
      expect(await inventoryStatusOf(pet.id)).toBe('available');
    } finally {
      await release();
    }
    await inventoryBecomes(pet.id, 'absent');
  });

  it("pet-service's pending pets: completes without settling the pet, which its order's event then releases", async () => {
    const customer = await signUpCustomer('in-flight-to-pets');
    const order = await orderPet(customer.token, (await createPet('in-flight-to-pets')).id);
    await petBecomes(order.petId, 'pending');
    await stack.stopApp('pet-service');
    const release = await lockRows('pet-service', 'pet', 'id = $1', [order.petId]);
    try {
      expect((await cancelOrder(customer.token, order.id)).status).toBe(200);

      await stack.restartApp('pet-service', AT_THE_DEFAULT_SETTLE);

      await correctionsCounted('pet-service', ReadModel.PendingPets);
      expect(await petStatus(order.petId)).toBe('pending');
    } finally {
      await release();
    }
    await petBecomes(order.petId, 'available');
  });

  it("photo-service's photos of deleted pets: completes without removing the pet's photos, which its PET_DELETED then removes", async () => {
    const owner = await storeOwnerToken();
    const pet = await addPet(owner);
    const photos = await photoCountOf(pet.id);
    expect(photos).toBeGreaterThan(0);
    await stack.stopApp('photo-service');
    const release = await lockRows('photo-service', 'photo', 'pet_id = $1', [pet.id]);
    try {
      expect((await api('DELETE', `/api/v3/pet/${pet.id}`, { token: owner })).status).toBe(200);

      await stack.restartApp('photo-service', AT_THE_DEFAULT_SETTLE);

      await correctionsCounted('photo-service', ReadModel.PhotosOfDeletedPets);
      expect(await photoCountOf(pet.id)).toBe(photos);
    } finally {
      await release();
    }
    await eventually(async () => ((await photoCountOf(pet.id)) === 0 ? true : undefined), 30000, "the deleted pet's photos to go");
  });
});
