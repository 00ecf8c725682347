import { randomUUID } from 'node:crypto';
import { deadLetterTopicOf, Topics } from '@petstore/contracts';
import { createPet } from '../store/store-fixtures';
import { eventually } from '../support/api';
import { inDatabase } from '../support/databases';
import { publish, topicConfig } from '../support/kafka';
import { settlesConsistently } from './support/consistency';
import { deadLetters } from './support/faults';

async function inventoryHas(petId: number): Promise<boolean> {
  return inDatabase(
    'inventory-service',
    async (client) => (await client.query('SELECT 1 FROM inventory_pet WHERE pet_id = $1', [petId])).rowCount === 1,
  );
}

/** How often inventory-service's inbox recorded the pet's PET_CREATED as consumed: once it is applied, whatever else brought the pet. */
async function creationsConsumed(petId: number): Promise<number> {
  return inDatabase(
    'inventory-service',
    async (client) =>
      (
        await client.query<{ count: number }>(
          "SELECT count(*)::int AS count FROM inbox_event WHERE aggregate_id = $1 AND event_type = 'PET_CREATED'",
          [String(petId)],
        )
      ).rows[0].count,
  );
}

describe('dead letters', () => {
  afterEach(() => inDatabase('inventory-service', (client) => client.query('ALTER TABLE IF EXISTS inventory_pet_away RENAME TO inventory_pet')));

  it('keeps dead letters until they are replayed or removed: no dead-letter topic expires its messages', async () => {
    for (const topic of Object.values(Topics)) {
      expect(await topicConfig(deadLetterTopicOf(topic))).toMatchObject({ 'retention.ms': '-1' });
      expect(await topicConfig(topic)).not.toMatchObject({ 'retention.ms': '-1' });
    }
  });

  it('parks at once what can never apply, lists it with its error and age, and applies it once when replayed after the fix', async () => {
    await settlesConsistently();
    // A deployment mistake: the table inventory-service writes is gone. No retry can fix that.
    await inDatabase('inventory-service', (client) => client.query('ALTER TABLE inventory_pet RENAME TO inventory_pet_away'));
    const pet = await createPet('parked');
    const parked = await eventually(
      async () => (await deadLetters('list', '--group', 'inventory-service')).find((m) => m.eventType === 'PET_CREATED' && m.replayedAt === null),
      30000,
      'PET_CREATED parked by inventory-service',
    );
    expect(parked).toMatchObject({ deadLetterTopic: `${Topics.PetEvents}.DLT`, topic: Topics.PetEvents, group: 'inventory-service' });
    expect(parked.error).toMatch(/inventory_pet/);
    expect(parked.ageSeconds).toBeGreaterThanOrEqual(0);

    await inDatabase('inventory-service', (client) => client.query('ALTER TABLE inventory_pet_away RENAME TO inventory_pet'));
    // The inventory itself may learn of the pet before the replay, from its reconciliation with pet-service; the inbox shows what the replay did.
    expect(await creationsConsumed(pet.id)).toBe(0);
    const replayed = await deadLetters('replay', '--group', 'inventory-service', '--all');
    expect(replayed.map((m) => m.message)).toContain(parked.message);
    await eventually(
      async () => ((await creationsConsumed(pet.id)) === 1 ? true : undefined),
      30000,
      `the replayed PET_CREATED of pet ${pet.id} consumed`,
    );
    expect(await inventoryHas(pet.id)).toBe(true);
    expect((await deadLetters('list', '--group', 'inventory-service')).find((m) => m.message === parked.message)?.replayedAt).not.toBeNull();

    // Replaying the same message again changes nothing: the inbox has applied its event id.
    await deadLetters('replay', '--group', 'inventory-service', '--message', parked.message);
    await settlesConsistently();
    expect(await creationsConsumed(pet.id)).toBe(1);
  });

  it('parks a message that is no event for every group that reads the topic, and keeps the partition flowing', async () => {
    const marker = randomUUID();
    await publish(Topics.OrderEvents, 'poison', { not: 'an envelope', marker });
    const poisoned = await eventually(
      async () => {
        const all = await deadLetters('list');
        const mine = all.filter((m) => m.topic === Topics.OrderEvents && m.error.length > 0 && m.replayedAt === null);
        const groups = new Set(mine.map((m) => m.group));
        return groups.has('pet-service') && groups.has('inventory-service') ? mine : undefined;
      },
      30000,
      'the poison message parked by pet-service and inventory-service',
    );
    expect(poisoned.length).toBeGreaterThanOrEqual(2);
    const pet = await createPet('after-poison');
    await eventually(async () => ((await inventoryHas(pet.id)) ? true : undefined), 30000, 'inventory keeps consuming');
    await settlesConsistently();
  });
});
