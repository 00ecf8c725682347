import { parsePhotoPath, photoPathOf } from '@petstore/dto';
import { api, ApiResponse, eventually } from '../support/api';
import { inDatabase } from '../support/databases';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { stack } from '../support/stack';
import { storeOwnerToken } from '../support/users';
import { addPet, getPet, PetBody, PNG } from '../pets/support/pets';
import { lockRows, untilWaitingForLock } from './support/faults';

function upload(token: string, petId: number): Promise<ApiResponse> {
  return api('POST', `/api/v3/pet/${petId}/uploadImage`, { token, body: PNG, headers: { 'content-type': 'application/octet-stream' } });
}

/** The pet's uploads as photo-service holds them, and whether each was found listed by the pet. */
async function uploadsOf(petId: number): Promise<{ id: number; listed: boolean }[]> {
  return inDatabase('photo-service', async (client) => {
    const { rows } = await client.query<{ id: string; listed: boolean }>(
      `SELECT id, listed_at IS NOT NULL AS listed FROM photo WHERE pet_id = $1 AND source = 'upload' ORDER BY id`,
      [petId],
    );
    return rows.map((row) => ({ id: Number(row.id), listed: row.listed }));
  });
}

async function listedPhotoIds(petId: number): Promise<number[]> {
  const pet = (await getPet(petId)).body as PetBody;
  return pet.photoUrls.flatMap((url) => parsePhotoPath(url)?.photoId ?? []);
}

/** Restarts photo-service, which checks its unconfirmed uploads soon after a start. */
async function restartPhotoService(): Promise<void> {
  await stack.stopApp('photo-service');
  await stack.restartApp('photo-service', SUITE_ENVIRONMENT);
}

/** Makes the pet's uploads older than the grace photo-service gives a listing (a day). */
async function agePastTheGrace(petId: number): Promise<void> {
  await inDatabase('photo-service', (client) => client.query(`UPDATE photo SET created_at = now() - interval '1 day' WHERE pet_id = $1`, [petId]));
}

/**
 * pet-service stores an upload with photo-service before its own transaction lists the URL, and
 * asks for the copy to be discarded when that fails. A crash in between left the photo stored,
 * and served at its URL to anyone, for good. The fault: pet-service killed while its transaction
 * listing an upload waits on the pet's row. The uploads are then made older than the grace
 * photo-service gives a listing (a day), and photo-service restarted, which checks soon after a start.
 */
describe('an upload pet-service stored but crashed before listing', () => {
  it('is served until checked; the check after the grace deletes it and confirms the upload the pet lists', async () => {
    const owner = await storeOwnerToken();
    const pet = await addPet(owner);
    expect((await upload(owner, pet.id)).status).toBe(200);

    const releasePet = await lockRows('pet-service', 'pet', 'id = $1', [pet.id]);
    let lost: Promise<ApiResponse> | undefined;
    try {
      lost = upload(owner, pet.id);
      await untilWaitingForLock('pet-service');
      await stack.killApp('pet-service');
    } finally {
      await releasePet();
    }
    expect((await lost)?.status).toBe(503);
    await stack.restartApp('pet-service', SUITE_ENVIRONMENT);

    const [listedId] = await listedPhotoIds(pet.id);
    const uploads = await uploadsOf(pet.id);
    expect(uploads.map((stored) => stored.id)).toContain(listedId);
    const [unlisted] = uploads.filter((stored) => stored.id !== listedId);
    expect(uploads).toEqual([
      { id: listedId, listed: false },
      { id: unlisted.id, listed: false },
    ]);
    expect((await api('GET', photoPathOf(pet.id, unlisted.id))).status).toBe(200);

    await agePastTheGrace(pet.id);
    await restartPhotoService();

    expect(await eventually(async () => ((await uploadsOf(pet.id)).length === 1 ? uploadsOf(pet.id) : undefined), 30000, 'the check')).toEqual([
      { id: listedId, listed: true },
    ]);
    expect((await api('GET', photoPathOf(pet.id, unlisted.id))).status).toBe(404);
    expect((await api('GET', photoPathOf(pet.id, listedId))).status).toBe(200);
    expect(await listedPhotoIds(pet.id)).toEqual([listedId]);
  });
});

/**
 * A confirmed upload is not checked again, unless a PET_UPDATED shows the pet without it: an
 * updatePet that leaves the photo out left it stored and served until the pet was deleted.
 */
describe('an upload an updatePet leaves out', () => {
  it('is checked again and deleted, and the photos the pet still lists stay', async () => {
    const owner = await storeOwnerToken();
    const pet = await addPet(owner);
    expect((await upload(owner, pet.id)).status).toBe(200);
    expect((await upload(owner, pet.id)).status).toBe(200);
    const [kept, left] = await listedPhotoIds(pet.id);
    await agePastTheGrace(pet.id);
    await restartPhotoService();
    await eventually(
      async () => ((await uploadsOf(pet.id)).every((stored) => stored.listed) ? true : undefined),
      30000,
      'the uploads to be confirmed',
    );

    const current = (await getPet(pet.id)).body as PetBody;
    const updated = await api<PetBody>('PUT', '/api/v3/pet', {
      token: owner,
      json: { ...current, photoUrls: current.photoUrls.filter((url) => url !== photoPathOf(pet.id, left)) },
    });
    expect(updated.status).toBe(200);
    await eventually(
      async () => ((await uploadsOf(pet.id)).some((stored) => stored.id === left && !stored.listed) ? true : undefined),
      20000,
      'PET_UPDATED to have the left-out upload checked again',
    );
    await restartPhotoService();

    expect(await eventually(async () => ((await uploadsOf(pet.id)).length === 1 ? uploadsOf(pet.id) : undefined), 30000, 'the check')).toEqual([
      { id: kept, listed: true },
    ]);
    expect((await api('GET', photoPathOf(pet.id, left))).status).toBe(404);
    expect((await api('GET', photoPathOf(pet.id, kept))).status).toBe(200);
  });
});
