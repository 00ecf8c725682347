import { ErrorResponse } from '@petstore/dto';
import { api } from '../support/api';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { storeOwnerToken } from '../support/users';
import { addPet, getPet, messageOf, newPet, PetBody, PNG, unusedPetId } from './support/pets';
import { stack } from '../support/stack';

describe('pets while photo-service is down', () => {
  let owner: string;

  beforeAll(async () => {
    owner = await storeOwnerToken();
  });

  it('refuses pet writes that need photo-service with 503 naming it, and saves nothing', async () => {
    const existing = await addPet(owner);
    const id = await unusedPetId(owner);
    await stack.stopApp('photo-service');
    try {
      const created = await api<ErrorResponse>('POST', '/api/v3/pet', { token: owner, json: newPet({ id }) });
      expect(created.status).toBe(503);
      expect(messageOf(created.body)).toMatch(/^photo-service is unreachable.*the pet was not saved/);
      expect((await getPet(id)).status).toBe(404);

      const updated = await api<ErrorResponse>('PUT', '/api/v3/pet', {
        token: owner,
        json: { ...existing, name: 'not saved', photoUrls: [...existing.photoUrls, 'https://images.example.com/new.png'] },
      });
      expect(updated.status).toBe(503);
      expect((await getPet(existing.id)).body).toEqual(existing);

      const uploaded = await api<ErrorResponse>('POST', `/api/v3/pet/${existing.id}/uploadImage`, {
        token: owner,
        body: PNG,
        headers: { 'content-type': 'application/octet-stream' },
      });
      expect(uploaded.status).toBe(503);
      expect(messageOf(uploaded.body)).toContain('photo-service');

      const withoutPhotos = await api<PetBody>('POST', '/api/v3/pet', { token: owner, json: newPet({ photoUrls: [] }) });
      expect(withoutPhotos.status).toBe(200);
    } finally {
      await stack.restartApp('photo-service', SUITE_ENVIRONMENT);
    }
    const retried = await api<PetBody>('POST', '/api/v3/pet', { token: owner, json: newPet({ id }) });
    expect(retried.status).toBe(200);
    expect(retried.body.id).toBe(id);
  });

  it("answers 503 at pet-service's photo call timeout, not the gateway's, when photo-service hangs, and saves nothing", async () => {
    const id = await unusedPetId(owner);
    stack.freezeApp('photo-service', true);
    try {
      const created = await api<ErrorResponse>('POST', '/api/v3/pet', { token: owner, json: newPet({ id }) });
      expect(created.status).toBe(503);
      expect(messageOf(created.body)).toBe(
        'photo-service did not answer within 3000 ms; try again later (the pet was not saved because its photos could not be registered)',
      );
    } finally {
      stack.freezeApp('photo-service', false);
    }
    expect((await getPet(id)).status).toBe(404);
  });
});
