import { PetEventType, Topics } from '@petstore/contracts';
import { api, eventually } from '../support/api';
import { Envelope, ObservedMessage, TopicObserver } from '../support/kafka';
import { storeOwnerToken } from '../support/users';
import { createPet, inventoryStatusOf, PetBody } from '../store/store-fixtures';
import { healthOf, lockRows, lockWaitsOf, untilWaitingForLock } from './support/faults';

const OTHER_PARTITION_ATTEMPTS = 20;

function isEvent(type: PetEventType, petId: number) {
  return (message: ObservedMessage) => message.key === String(petId) && (message.value as Envelope).type === type;
}

function inventoryShows(petId: number, status: string, what: string): Promise<true> {
  return eventually(async () => ((await inventoryStatusOf(petId)) === status ? true : undefined), 20000, what);
}

/** A pet whose events travel in another partition than `partition`, its creation seen by inventory-service. */
async function petOnAnotherPartition(observer: TopicObserver, partition: number): Promise<PetBody> {
  for (let attempt = 1; attempt <= OTHER_PARTITION_ATTEMPTS; attempt++) {
    const pet = await createPet('slow-event-other');
    const [created] = await observer.waitFor(isEvent(PetEventType.PetCreated, pet.id));
    if (created.partition !== partition) return pet;
  }
  throw new Error(`${OTHER_PARTITION_ATTEMPTS} pets in a row went to partition ${partition}`);
}

/**
 * An event whose handling waits for a row another transaction holds (up to the lock timeout,
 * 10 s, then again after a backoff): kafkajs fetches again only once every batch of the last
 * fetch is handled, so before EventConsumerServer let such a batch go on by itself, every other
 * partition of the consumer waited with it.
 */
describe('a slow event, waiting for a row its consumer must change', () => {
  it("holds only its own partition: inventory-service applies another partition's event during the event's first wait, and the slow one once the row is free", async () => {
    const owner = await storeOwnerToken();
    const observer = await TopicObserver.start([Topics.PetEvents]);
    try {
      const held = await createPet('slow-event');
      await inventoryShows(held.id, 'available', 'inventory-service to count the held pet');

      const releaseRow = await lockRows('inventory-service', 'inventory_pet', 'pet_id = $1', [held.id]);
      try {
        expect((await api('DELETE', `/api/v3/pet/${held.id}`, { token: owner })).status).toBe(200);
        const [deleted] = await observer.waitFor(isEvent(PetEventType.PetDeleted, held.id));
        const [firstWait] = await untilWaitingForLock('inventory-service');

        const consumer = await eventually(
          async () => {
            const reported = (await healthOf('inventory-service')).body.details?.['consumer'];
            return reported?.slow?.some(({ partition }) => partition === deleted.partition) ? reported : undefined;
          },
          10000,
          "inventory-service's /health to name the partition its slow batch holds",
        );
        expect(consumer).toMatchObject({ status: 'up', state: 'consuming', slow: [{ topic: Topics.PetEvents, partition: deleted.partition }] });

        const other = await petOnAnotherPartition(observer, deleted.partition);
        await inventoryShows(other.id, 'available', "inventory-service to apply the other partition's event");

        expect(await lockWaitsOf('inventory-service')).toContainEqual(firstWait);
        expect(await inventoryStatusOf(held.id)).toBe('available');
      } finally {
        await releaseRow();
      }
      await inventoryShows(held.id, 'absent', 'inventory-service to apply the held PET_DELETED once the row is free');
    } finally {
      await observer.stop();
    }
  });
});
