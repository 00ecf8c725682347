import { Topics } from '@petstore/contracts';
import { INBOX_EVENT_RETENTION_SECONDS, purgeExpiredInboxEvents } from '@petstore/messaging';
import { api, eventually } from '../support/api';
import { inDatabase } from '../support/databases';
import { Envelope, publish, TopicObserver, waitForGroupToCatchUp } from '../support/kafka';
import { storeOwnerToken } from '../support/users';
import { createPet } from '../store/store-fixtures';

interface InventoryPet {
  status: string;
  version: number;
  deleted: boolean;
}

function inventoryPet(petId: number): Promise<InventoryPet | undefined> {
  return inDatabase(
    'inventory-service',
    async (client) => (await client.query<InventoryPet>('SELECT status, version, deleted FROM inventory_pet WHERE pet_id = $1', [petId])).rows[0],
  );
}

function inboxRowsOf(eventIds: string[]): Promise<{ event_id: string }[]> {
  return inDatabase(
    'inventory-service',
    async (client) => (await client.query('SELECT event_id FROM inbox_event WHERE event_id = ANY($1::uuid[])', [eventIds])).rows,
  );
}

/**
 * The inbox keeps an applied event's row INBOX_EVENT_RETENTION_SECONDS (7 days), then purges it
 * so the table does not grow for ever. The fault is the time that passed: a pet's rows are made
 * that old, and the purge, as the service runs it, meets them beside a row still in retention.
 */
describe('an event delivered again after the inbox purged its row', () => {
  let observer: TopicObserver;

  beforeAll(async () => {
    observer = await TopicObserver.start([Topics.PetEvents]);
  });

  afterAll(() => observer.stop());

  it('is skipped as stale by its version, not applied again: a deleted pet stays deleted', async () => {
    const owner = await storeOwnerToken();
    const pet = await createPet('purged-inbox');
    const [created] = await observer.waitFor((m) => m.key === String(pet.id) && (m.value as Envelope).type === 'PET_CREATED');
    expect((await api('DELETE', `/api/v3/pet/${pet.id}`, { token: owner })).status).toBe(200);
    const [deleted] = await observer.waitFor((m) => m.key === String(pet.id) && (m.value as Envelope).type === 'PET_DELETED');
    const eventIds = [created, deleted].map((message) => (message.value as Envelope).eventId);
    const gone = await eventually(
      async () => {
        const row = await inventoryPet(pet.id);
        return row?.deleted ? row : undefined;
      },
      20000,
      `inventory-service to apply the deletion of pet ${pet.id}`,
    );
    const kept = await createPet('kept-in-inbox');
    const [keptCreated] = await observer.waitFor((m) => m.key === String(kept.id) && (m.value as Envelope).type === 'PET_CREATED');
    const keptEventId = (keptCreated.value as Envelope).eventId;
    await eventually(async () => ((await inboxRowsOf([keptEventId])).length === 1 ? true : undefined), 20000, 'the kept pet in the inbox');

    const purged = await inDatabase('inventory-service', async (client) => {
      await client.query(`UPDATE inbox_event SET processed_at = now() - make_interval(secs => $2 + 60) WHERE event_id = ANY($1::uuid[])`, [
        eventIds,
        INBOX_EVENT_RETENTION_SECONDS,
      ]);
      return purgeExpiredInboxEvents(async (sql, parameters) => (await client.query(sql, parameters)).rows);
    });
    expect(purged).toBe(2);
    expect(await inboxRowsOf(eventIds)).toEqual([]);
    expect((await inboxRowsOf([keptEventId])).map((row) => row.event_id)).toEqual([keptEventId]);

    await publish(Topics.PetEvents, String(pet.id), created.value, created.headers);
    await waitForGroupToCatchUp('inventory-service', Topics.PetEvents);

    // Consumed, and recorded again (its row was gone), yet not applied.
    expect(await inboxRowsOf([eventIds[0]])).toHaveLength(1);
    expect(await inventoryPet(pet.id)).toEqual(gone);
  });
});
