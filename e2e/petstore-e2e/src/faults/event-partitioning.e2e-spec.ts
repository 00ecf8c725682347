import { Topics } from '@petstore/contracts';
import { createPet, orderPet, cancelOrder } from '../store/store-fixtures';
import { Envelope, PUBLISHED_BY_A_SPEC_HEADER, TopicObserver } from '../support/kafka';
import { signUpCustomer } from '../support/users';

/**
 * Consumers skip an event older than one they applied for the same aggregate. That is safe only
 * if every event of an aggregate travels in one partition, in order: an order's release must
 * never be overtaken by a later event of the same order on another partition.
 */
describe('event partitioning', () => {
  it('puts every event of an order, and of a pet, in one partition, in version order', async () => {
    const observer = await TopicObserver.start([Topics.OrderEvents, Topics.PetEvents], { fromBeginning: true });
    try {
      const alice = await signUpCustomer('partitioning');
      for (let i = 0; i < 3; i++) {
        const pet = await createPet('partitioning');
        const order = await orderPet(alice.token, pet.id);
        expect((await cancelOrder(alice.token, order.id)).status).toBe(200);
      }
      await observer.catchUp();
      const byAggregate = new Map<string, { partition: number; offset: bigint; version: number }[]>();
      for (const message of observer.messages) {
        const envelope = message.value as Envelope;
        // A copy another spec sent again (an old version after a newer one) is no relay's doing.
        if (typeof envelope !== 'object' || !envelope?.aggregateId || message.headers[PUBLISHED_BY_A_SPEC_HEADER]) continue;
        const key = `${message.topic}/${envelope.aggregateId}`;
        byAggregate.set(key, [
          ...(byAggregate.get(key) ?? []),
          { partition: message.partition, offset: BigInt(message.offset), version: envelope.aggregateVersion },
        ]);
      }
      expect(byAggregate.size).toBeGreaterThan(0);
      for (const [aggregate, events] of byAggregate) {
        expect({ aggregate, partitions: [...new Set(events.map((e) => e.partition))].length }).toEqual({ aggregate, partitions: 1 });
        const versions = events.sort((a, b) => (a.offset < b.offset ? -1 : 1)).map((e) => e.version);
        expect({ aggregate, versions }).toEqual({ aggregate, versions: [...versions].sort((a, b) => a - b) });
      }
    } finally {
      await observer.stop();
    }
  });
});
