import { HealthIndicatorService } from '@nestjs/terminus';
import { PROBE_TIMEOUT_MS } from '@petstore/platform';
import { Admin, Kafka } from 'kafkajs';
import { KafkaHealthProbe } from './kafka-health.probe';
import { KafkaConfig, kafkaConfig } from './kafka.config';

const never = () => new Promise<never>(() => undefined);

/** A broker that takes connections and answers nothing (hung, or its process suspended). */
function hungBroker(): { admin: Admin; disconnected: jest.Mock } {
  const disconnected = jest.fn();
  const admin = {
    connect: jest.fn(async () => undefined),
    describeCluster: jest.fn(never),
    disconnect: jest.fn(() => {
      disconnected();
      return never();
    }),
  } as unknown as Admin;
  return { admin, disconnected };
}

describe('KafkaHealthProbe', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const probe = () => new KafkaHealthProbe(new HealthIndicatorService(), kafkaConfig() as KafkaConfig, { groupId: 'pet-service' } as never);

  it('says Kafka is down once a broker that answers nothing lets PROBE_TIMEOUT_MS pass, without waiting for the disconnect it starts', async () => {
    const broker = hungBroker();
    jest.spyOn(Kafka.prototype, 'admin').mockReturnValue(broker.admin);
    let result: unknown;
    void probe()
      .check()
      .then((answer) => (result = answer));

    await jest.advanceTimersByTimeAsync(PROBE_TIMEOUT_MS - 1);
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ kafka: { status: 'down', message: `no answer within ${PROBE_TIMEOUT_MS} ms` } });
    expect(broker.disconnected).toHaveBeenCalledTimes(1);
  });

  it('lets a shutdown wait at most PROBE_TIMEOUT_MS for the disconnect from a broker that answers nothing', async () => {
    const broker = hungBroker();
    jest.spyOn(Kafka.prototype, 'admin').mockReturnValue(broker.admin);
    const healthy = probe();
    jest.mocked(broker.admin.describeCluster).mockResolvedValueOnce({ brokers: [], controller: 1, clusterId: 'c' });
    expect(await healthy.check()).toEqual({ kafka: { status: 'up', brokers: 0 } });
    let stopped = false;
    void healthy.onApplicationShutdown().then(() => (stopped = true));

    await jest.advanceTimersByTimeAsync(PROBE_TIMEOUT_MS);
    expect(broker.disconnected).toHaveBeenCalledTimes(1);
    expect(stopped).toBe(true);
  });
});
