import { Logger } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { EXPIRED_ROWS_PURGE_INTERVAL_MS } from '@petstore/platform/database';
import { DataSource } from 'typeorm';
import { INBOX_EVENT_RETENTION_SECONDS, InboxRetention, purgeExpiredInboxEvents } from './inbox-retention';

describe('the inbox’s retention', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('deletes the expired rows a batch at a time until a batch comes back short, and answers how many', async () => {
    const query = jest
      .fn()
      .mockResolvedValueOnce([{ deleted: 10_000 }])
      .mockResolvedValueOnce([{ deleted: 10_000 }])
      .mockResolvedValueOnce([{ deleted: 3 }]);
    await expect(purgeExpiredInboxEvents(query)).resolves.toBe(20_003);
    expect(query).toHaveBeenCalledTimes(3);
    expect(query).toHaveBeenLastCalledWith(expect.stringContaining('DELETE FROM inbox_event'), [INBOX_EVENT_RETENTION_SECONDS, 10_000]);
  });

  it('purges every interval while the service runs; a pass that fails is logged, naming the inbox, and the next one made', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    const query = jest
      .fn()
      .mockRejectedValueOnce(new Error('connect ECONNREFUSED 127.0.0.1:5432'))
      .mockResolvedValue([{ deleted: 0 }]);
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const service = await Test.createTestingModule({
      imports: [ScheduleModule.forRoot()],
      providers: [InboxRetention, { provide: DataSource, useValue: { query } }],
    }).compile();
    await service.init();

    await jest.advanceTimersByTimeAsync(EXPIRED_ROWS_PURGE_INTERVAL_MS);
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'purging expired inbox events failed: connect ECONNREFUSED 127.0.0.1:5432' }),
    );
    await jest.advanceTimersByTimeAsync(EXPIRED_ROWS_PURGE_INTERVAL_MS);
    expect(query).toHaveBeenCalledTimes(2);

    await service.close();
    await jest.advanceTimersByTimeAsync(EXPIRED_ROWS_PURGE_INTERVAL_MS);
    expect(query).toHaveBeenCalledTimes(2);
  });
});
