import { HealthIndicatorService } from '@nestjs/terminus';
import { ConsumerHealthProbe } from './consumer-health.probe';
import { ConsumerStatus } from './consumer-status';

describe('ConsumerHealthProbe', () => {
  const probeOf = (status: ConsumerStatus) => new ConsumerHealthProbe(new HealthIndicatorService(), status);

  it('is down while the consumer has not joined its group yet', async () => {
    expect((await probeOf(new ConsumerStatus()).check())['consumer']).toMatchObject({ status: 'down', state: 'starting' });
  });

  it('stays up while a joined consumer rebalances', async () => {
    const status = new ConsumerStatus();
    status.changedTo('consuming');
    status.changedTo('rebalancing');
    expect((await probeOf(status).check())['consumer']).toMatchObject({ status: 'up', state: 'rebalancing' });
  });

  it('is up but degraded while a partition waits out a failure, naming it', async () => {
    const status = new ConsumerStatus();
    status.changedTo('consuming');
    status.failed('pet-events', 2, '17', new Error('database away'), () => 200);
    expect((await probeOf(status).check())['consumer']).toMatchObject({
      status: 'up',
      state: 'degraded',
      waiting: [expect.objectContaining({ topic: 'pet-events', partition: 2, offset: '17', attempts: 1, error: 'database away' })],
    });
  });

  it('names a partition held by a slow batch and stays consuming, as nothing has failed', async () => {
    const status = new ConsumerStatus();
    status.changedTo('consuming');
    status.slowBatch('order-events', 1);
    expect((await probeOf(status).check())['consumer']).toMatchObject({
      status: 'up',
      state: 'consuming',
      slow: [{ topic: 'order-events', partition: 1, since: expect.any(Date) }],
    });
    status.batchDone('order-events', 1);
    expect((await probeOf(status).check())['consumer']).toMatchObject({ slow: [] });
  });

  it('is down once the consumer crashed', async () => {
    const status = new ConsumerStatus();
    status.changedTo('crashed');
    expect((await probeOf(status).check())['consumer']).toMatchObject({ status: 'down', state: 'crashed' });
  });
});
