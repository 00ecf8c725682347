import { api } from '../support/api';
import { storeOwnerToken } from '../support/users';
import { newPet, unusedPetId } from '../pets/support/pets';
import { inventoryStatusOf, petStatus } from '../store/store-fixtures';
import { settlesConsistently } from './support/consistency';

/**
 * A pet deleted while a client creates a pet under the same id: whichever wins, the consumers
 * must follow the pet that exists, never skip its events as older than the deletion.
 */
describe('deleting a pet while it is created again under the same id', () => {
  it('leaves consumers following whichever pet exists', async () => {
    const owner = await storeOwnerToken();
    const ids: number[] = [];
    for (let round = 0; round < 12; round++) {
      const id = await unusedPetId(owner);
      ids.push(id);
      expect((await api('POST', '/api/v3/pet', { token: owner, json: newPet({ id }) })).status).toBe(200);
      const [deleted, created] = await Promise.all([
        api('DELETE', `/api/v3/pet/${id}`, { token: owner }),
        api('POST', '/api/v3/pet', { token: owner, json: newPet({ id, name: `again-${round}` }) }),
      ]);
      expect(deleted.status).toBe(200);
      expect([200, 409]).toContain(created.status);
      if (created.status === 409) {
        expect((await api('POST', '/api/v3/pet', { token: owner, json: newPet({ id, name: `again-${round}` }) })).status).toBe(200);
      }
    }
    await settlesConsistently();
    for (const id of ids) expect(await inventoryStatusOf(id)).toBe(await petStatus(id));
  });
});
