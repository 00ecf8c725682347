import { PetEventType, PetStatus, Topics } from '@petstore/contracts';
import { runWithCorrelationId } from '@petstore/platform';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxEntry, OutboxService } from './outbox.service';

function setUp(commit: 'commits' | 'fails') {
  const manager = { query: jest.fn() } as unknown as EntityManager;
  const dataSource = {
    transaction: async (work: (m: EntityManager) => Promise<unknown>) => {
      const result = await work(manager);
      if (commit === 'fails') throw new Error('could not serialize access');
      return result;
    },
  } as unknown as DataSource;
  const relay = { nudge: jest.fn() };
  return { outbox: new OutboxService(dataSource, relay as unknown as OutboxRelay), relay, manager };
}

const petCreated: OutboxEntry<PetEventType.PetCreated> = {
  topic: Topics.PetEvents,
  key: 7,
  type: PetEventType.PetCreated,
  aggregateId: 7,
  aggregateVersion: 1,
  payload: { id: 7, name: 'Rex', status: PetStatus.Available, tags: [], photoUrls: [] },
};

describe('OutboxService', () => {
  it('wakes the relay once a transaction that appended an event committed', async () => {
    const { outbox, relay } = setUp('commits');
    await expect(
      outbox.transaction(async (manager) => {
        await outbox.append(manager, petCreated);
        return 'done';
      }),
    ).resolves.toBe('done');
    expect(relay.nudge).toHaveBeenCalledTimes(1);
  });

  it('leaves the relay asleep after a transaction with nothing to publish', async () => {
    const { outbox, relay } = setUp('commits');
    await expect(outbox.transaction(async () => 'done')).resolves.toBe('done');
    expect(relay.nudge).not.toHaveBeenCalled();
  });

  it('leaves the relay asleep when the transaction fails', async () => {
    const { outbox, relay } = setUp('fails');
    await expect(outbox.transaction((manager) => outbox.append(manager, petCreated))).rejects.toThrow('could not serialize access');
    expect(relay.nudge).not.toHaveBeenCalled();
  });

  it('records an event under the correlation id of the work in progress, keyed as given', async () => {
    const { outbox, manager } = setUp('commits');
    const envelope = await runWithCorrelationId('corr-1', () => outbox.append(manager, petCreated));
    expect(envelope).toMatchObject({ type: PetEventType.PetCreated, aggregateId: '7', correlationId: 'corr-1' });
    expect(manager.query).toHaveBeenCalledWith(expect.stringContaining('INSERT INTO outbox_message'), [
      envelope.eventId,
      Topics.PetEvents,
      '7',
      PetEventType.PetCreated,
      JSON.stringify(envelope),
      null,
    ]);
  });
});
