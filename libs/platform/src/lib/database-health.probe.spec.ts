import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource, QueryFailedError } from 'typeorm';
import { DatabaseHealthProbe } from './database-health.probe';

function probeOver(query: () => Promise<unknown>): DatabaseHealthProbe {
  return new DatabaseHealthProbe({ query } as unknown as DataSource, new HealthIndicatorService());
}

describe('DatabaseHealthProbe', () => {
  it('reports the database up when it answers', async () => {
    expect(await probeOver(async () => [{ '?column?': 1 }]).check()).toEqual({ database: { status: 'up' } });
  });

  it('reports it down with the reason the driver gave', async () => {
    const refused = Object.assign(new Error('database "pets" is not currently accepting connections'), { code: '55000' });
    const probe = probeOver(async () => {
      throw new QueryFailedError('SELECT 1', [], refused);
    });

    expect(await probe.check()).toEqual({ database: { status: 'down', message: 'database "pets" is not currently accepting connections' } });
  });

  it('reports it down when it does not answer in time', async () => {
    jest.useFakeTimers();
    try {
      const answer = probeOver(() => new Promise(() => undefined)).check();
      await jest.advanceTimersByTimeAsync(2000);
      expect(await answer).toEqual({ database: { status: 'down', message: 'no answer within 2000 ms' } });
    } finally {
      jest.useRealTimers();
    }
  });
});
