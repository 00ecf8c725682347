import { api, eventually } from '../support/api';
import { stack } from '../support/stack';
import { storeOwnerToken } from '../support/users';
import { addPet, PetBody, PNG, unique } from './support/pets';
import { Envelope, TopicObserver } from '../support/kafka';

const OUTAGE_TIMEOUT_MS = 300_000;

async function ok<T>(response: Promise<{ status: number; body: T }>): Promise<T> {
  const { status, body } = await response;
  if (status !== 200) throw new Error(`expected 200, got ${status}: ${JSON.stringify(body)}`);
  return body;
}

describe('pet-events while Kafka is unreachable', () => {
  it(
    'keeps serving pet writes, then publishes the backlog when Kafka returns: each event once, in order per pet',
    async () => {
      const owner = await storeOwnerToken();
      let kept: PetBody;
      let dropped: PetBody;
      let droppedPhotoUrl: string;

      stack.kafka('stop');
      try {
        kept = await addPet(owner);
        await ok(api('PUT', '/api/v3/pet', { token: owner, json: { ...kept, name: unique('renamed') } }));
        await ok(api('POST', `/api/v3/pet/${kept.id}?name=${unique('again')}`, { token: owner }));

        dropped = await addPet(owner);
        await ok(
          api('POST', `/api/v3/pet/${dropped.id}/uploadImage`, {
            token: owner,
            body: PNG,
            headers: { 'content-type': 'application/octet-stream' },
          }),
        );
        droppedPhotoUrl = (await ok(api<PetBody>('GET', `/api/v3/pet/${dropped.id}`))).photoUrls[1];
        expect((await api('GET', droppedPhotoUrl)).status).toBe(200);
        await ok(api('DELETE', `/api/v3/pet/${dropped.id}`, { token: owner }));
      } finally {
        stack.kafka('start');
      }

      const log = await TopicObserver.start(['pet-events'], { fromBeginning: true });
      try {
        await eventually(
          async () => (log.forKey(kept.id).length >= 3 && log.forKey(dropped.id).length >= 3 ? true : undefined),
          120000,
          'the backlog on pet-events',
        );
        await log.catchUp();

        const keptEvents = log.forKey(kept.id).map((message) => message.value as Envelope);
        expect(keptEvents.map((event) => [event.type, event.aggregateVersion])).toEqual([
          ['PET_CREATED', 1],
          ['PET_UPDATED', 2],
          ['PET_UPDATED', 3],
        ]);
        const droppedEvents = log.forKey(dropped.id).map((message) => message.value as Envelope);
        expect(droppedEvents.map((event) => [event.type, event.aggregateVersion])).toEqual([
          ['PET_CREATED', 1],
          ['PET_UPDATED', 2],
          ['PET_DELETED', 3],
        ]);
        const eventIds = [...keptEvents, ...droppedEvents].map((event) => event.eventId);
        expect(new Set(eventIds).size).toBe(eventIds.length);
      } finally {
        await log.stop();
      }

      await eventually(async () => ((await api('GET', droppedPhotoUrl)).status === 404 ? true : undefined), 120000, 'photos removed');
      await eventually(async () => ((await api('GET', '/health')).status === 200 ? true : undefined), 120000, 'the system healthy');
    },
    OUTAGE_TIMEOUT_MS,
  );
});
