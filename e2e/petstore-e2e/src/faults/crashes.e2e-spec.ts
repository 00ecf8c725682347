import { Topics } from '@petstore/contracts';
import { inDatabase } from '../support/databases';
import { committedOffsets } from '../support/kafka';
import { createPet, placeOrder } from '../store/store-fixtures';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { stack } from '../support/stack';
import { signUpCustomer, TestUser } from '../support/users';
import { answersHeldTrue, ordersUnderFault, settlesConsistently } from './support/consistency';
import { HealthAnswer, healthOf, sleep } from './support/faults';

const KAFKA_APPS = ['pet-service', 'photo-service', 'order-service', 'inventory-service'];
const CONSUMED_TOPICS = [Topics.PetEvents, Topics.OrderEvents];

describe('the order flow under crashes and outages', () => {
  let customers: TestUser[];

  beforeAll(async () => {
    customers = await Promise.all([signUpCustomer('fault-a'), signUpCustomer('fault-b')]);
  });

  beforeEach(() => settlesConsistently());

  it.each(['order-service', 'pet-service', 'inventory-service'])(
    '%s killed mid-order (SIGKILL) and restarted: nothing stranded, no 500',
    async (app) => {
      const answers = await ordersUnderFault(customers, async () => {
        await stack.killApp(app);
        await stack.restartApp(app, SUITE_ENVIRONMENT);
      });
      await settlesConsistently();
      await answersHeldTrue(answers);
    },
  );

  it.each(['order-service', 'pet-service'])(
    '%s stopped (SIGTERM) mid-order: in-flight requests are answered, and what they committed is published before it exits',
    async (app) => {
      let unpublished = -1;
      const answers = await ordersUnderFault(customers, async () => {
        await stack.stopApp(app);
        unpublished = await inDatabase(
          app as 'order-service' | 'pet-service',
          async (client) =>
            (await client.query<{ count: number }>('SELECT count(*)::int AS count FROM outbox_message WHERE sent_at IS NULL')).rows[0].count,
        );
        await stack.restartApp(app, SUITE_ENVIRONMENT);
      });
      expect(unpublished).toBe(0);
      await settlesConsistently();
      await answersHeldTrue(answers);
    },
  );

  it.each(['order-service', 'pet-service', 'inventory-service'])(
    'two instances of %s sharing its group, its relay and its database, one killed mid-order: the other takes over, nothing stranded',
    async (app) => {
      const second = await stack.startSecondInstance(app, SUITE_ENVIRONMENT);
      const answers = await ordersUnderFault(customers, () => stack.killApp(second.name));
      await settlesConsistently();
      await answersHeldTrue(answers);
    },
  );

  it.each(['order-service', 'inventory-service'])(
    'two instances of %s sharing its group, one frozen (SIGSTOP) mid-order: the other takes its partitions and everything settles while it stays frozen; thawed, it spoils nothing and moves no committed offset back',
    async (app) => {
      const second = await stack.startSecondInstance(app, SUITE_ENVIRONMENT);
      let frozen = false;
      try {
        const answers = await ordersUnderFault(customers, async () => {
          stack.freezeApp(second.name, true);
          frozen = true;
        });
        // Its partitions move once its session times out (KAFKA_CONSUMER_SESSION_TIMEOUT_MS, 10 s); a relay pass it froze in ends with its transaction (60 s).
        await settlesConsistently();
        await answersHeldTrue(answers);
        const committedWhileFrozen = await committedOffsets(app, CONSUMED_TOPICS);
        stack.freezeApp(second.name, false);
        frozen = false;
        await sleep(2000);
        await settlesConsistently();
        // Thawed, it may try to commit what it had applied before the freeze; its group moved on to a new generation, so the broker refuses that.
        const committedAfter = await committedOffsets(app, CONSUMED_TOPICS);
        const movedBack = Object.entries(committedWhileFrozen).filter(([partition, offset]) => !(committedAfter[partition] >= offset));
        expect(movedBack).toEqual([]);
      } finally {
        if (frozen) stack.freezeApp(second.name, false);
        await stack.stopApp(second.name);
      }
    },
  );

  it('pet-service frozen (SIGSTOP) for 12 s mid-order: reservations time out as 503s, nothing stranded', async () => {
    const answers = await ordersUnderFault(customers, async () => {
      stack.freezeApp('pet-service', true);
      try {
        await sleep(12000);
      } finally {
        stack.freezeApp('pet-service', false);
      }
    });
    expect(answers.some((answer) => answer.status === 503)).toBe(true);
    await settlesConsistently();
    await answersHeldTrue(answers);
  });

  it('the broker down for 20 s under orders: every order is placed or rejected once it returns, nothing stranded', async () => {
    const answers = await ordersUnderFault(customers, async () => {
      stack.kafka('stop');
      try {
        await sleep(20000);
      } finally {
        stack.kafka('start');
      }
    });
    await settlesConsistently(120000);
    await answersHeldTrue(answers);
  });

  it('the broker frozen (SIGSTOP) for 15 s under orders, its connections open but unanswered: /health says so, no 500, nothing stranded once it thaws', async () => {
    let healthWhileFrozen: HealthAnswer[] = [];
    const answers = await ordersUnderFault(customers, async () => {
      stack.kafka('freeze');
      try {
        await sleep(3000);
        healthWhileFrozen = await Promise.all(KAFKA_APPS.map((app) => healthOf(app)));
        await sleep(12000);
      } finally {
        stack.kafka('thaw');
      }
    });
    for (const health of healthWhileFrozen) {
      expect(health).toMatchObject({ status: 503, body: { details: { kafka: { status: 'down' } } } });
    }
    await settlesConsistently(120000);
    await answersHeldTrue(answers);
  });

  it('order-service stopped (SIGTERM) while the broker is frozen: it exits anyway, within its close deadline, and once restarted with the broker back nothing is stranded', async () => {
    stack.kafka('freeze');
    try {
      await stack.stopApp('order-service');
    } finally {
      stack.kafka('thaw');
    }
    await stack.restartApp('order-service', SUITE_ENVIRONMENT);
    const pet = await createPet('after-stop');
    expect(await placeOrder(customers[0].token, { petId: pet.id, quantity: 1 })).toMatchObject({ status: 200, body: { petId: pet.id } });
    await settlesConsistently();
  });
});
