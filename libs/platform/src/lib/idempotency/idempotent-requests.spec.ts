import { ConflictException, DynamicModule, Logger } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import { EXPIRED_ROWS_PURGE_INTERVAL_MS, serviceInfrastructure } from '../service-infrastructure';
import type { EntityManager } from 'typeorm';
import { IDEMPOTENCY_KEY_RETENTION_SECONDS, IDEMPOTENCY_KEY_WAIT_MS } from './idempotency-key';
import { IdempotentRequests } from './idempotent-requests';

/** The scheduler every service is built on, as serviceInfrastructure imports it. */
function servicesScheduler(): DynamicModule {
  const scheduler = serviceInfrastructure({ service: 'pet-service', migrations: [] }).find(
    (imported) => (imported as DynamicModule).module === ScheduleModule,
  );
  if (!scheduler) throw new Error('serviceInfrastructure imports no scheduler');
  return scheduler as DynamicModule;
}

describe('IdempotentRequests', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] }));
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('deletes the keys past their retention every purge interval while the service runs; a pass that fails is logged and the next one made', async () => {
    const query = jest.fn().mockRejectedValueOnce(new Error('connect ECONNREFUSED 127.0.0.1:5432')).mockResolvedValue([]);
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const service = await Test.createTestingModule({
      imports: [servicesScheduler()],
      providers: [IdempotentRequests, { provide: getDataSourceToken(), useValue: { query } }],
    }).compile();
    await service.init();

    await jest.advanceTimersByTimeAsync(EXPIRED_ROWS_PURGE_INTERVAL_MS - 1);
    expect(query).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(query).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'purging expired idempotency keys failed: connect ECONNREFUSED 127.0.0.1:5432' }),
    );

    await jest.advanceTimersByTimeAsync(EXPIRED_ROWS_PURGE_INTERVAL_MS);
    expect(query).toHaveBeenCalledTimes(2);
    expect(query).toHaveBeenLastCalledWith('DELETE FROM idempotent_request WHERE created_at <= now() - make_interval(secs => $1)', [
      IDEMPOTENCY_KEY_RETENTION_SECONDS,
    ]);

    await service.close();
    await jest.advanceTimersByTimeAsync(EXPIRED_ROWS_PURGE_INTERVAL_MS);
    expect(query).toHaveBeenCalledTimes(2);
  });

  describe('claim', () => {
    const request = { operation: 'addPet', key: 'retry-1', userId: 7, body: { name: 'Rex' } };
    const lockTimeout = Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });
    const requests = () => new IdempotentRequests({} as never);

    it('waits for a request still running under the key for IDEMPOTENCY_KEY_WAIT_MS, then lets the write wait for locks as long as any other', async () => {
      const query = jest.fn().mockResolvedValue([{}]);

      await expect(requests().claim({ query } as unknown as EntityManager, request)).resolves.toBeUndefined();

      expect(query.mock.calls.map(([statement]) => statement)).toEqual([
        `SET LOCAL lock_timeout = ${IDEMPOTENCY_KEY_WAIT_MS}`,
        expect.stringContaining('INSERT INTO idempotent_request'),
        'SET LOCAL lock_timeout TO DEFAULT',
      ]);
    });

    it('refuses with 409 naming the key when the request under it is still running after the wait', async () => {
      const query = jest
        .fn()
        .mockResolvedValueOnce([])
        .mockRejectedValueOnce(Object.assign(new Error('QueryFailedError'), { driverError: lockTimeout }));

      const claimed = requests().claim({ query } as unknown as EntityManager, request);

      await expect(claimed).rejects.toThrow(ConflictException);
      await expect(claimed).rejects.toThrow("a request under Idempotency-Key 'retry-1' is still being processed");
    });

    it('passes any other failure of the claim on as it came', async () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      const query = jest.fn().mockResolvedValueOnce([]).mockRejectedValueOnce(refused);

      await expect(requests().claim({ query } as unknown as EntityManager, request)).rejects.toBe(refused);
    });
  });
});
