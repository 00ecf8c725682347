import { HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { DatabaseHealthProbe } from './database-health.probe';

/** A probe over a pool whose sessions answer `answer` to the probe's question, and the releases it saw (true: ended). */
function probeOver(answer: () => Promise<{ rows: { read_only: string }[] }>, connect = async () => undefined) {
  const releases: boolean[] = [];
  const pool = {
    connect: async () => {
      await connect();
      return { query: answer, release: (end?: boolean) => releases.push(end === true) };
    },
  };
  const dataSource = { isInitialized: true, driver: { master: pool } } as unknown as DataSource;
  return { probe: new DatabaseHealthProbe(dataSource, new HealthIndicatorService()), releases };
}

const sessionWhoseReadOnlyIs = (setting: 'on' | 'off') => async () => ({ rows: [{ read_only: setting }] });

describe('DatabaseHealthProbe', () => {
  it('reports the database up when a session answers, and gives the session back', async () => {
    const { probe, releases } = probeOver(sessionWhoseReadOnlyIs('off'));

    expect(await probe.check()).toEqual({ database: { status: 'up' } });
    expect(releases).toEqual([false]);
  });

  it('reports it up but read-only when the session refuses changes, and ends that session', async () => {
    const { probe, releases } = probeOver(sessionWhoseReadOnlyIs('on'));

    expect(await probe.check()).toEqual({
      database: { status: 'up', state: 'read-only', message: 'it accepts no changes: they answer 503 until it does' },
    });
    expect(releases).toEqual([true]);
  });

  it('reports it down with the reason the driver gave when no session can be had', async () => {
    const refused = Object.assign(new Error('database "pets" is not currently accepting connections'), { code: '55000' });
    const { probe } = probeOver(sessionWhoseReadOnlyIs('off'), async () => Promise.reject(refused));

    expect(await probe.check()).toEqual({ database: { status: 'down', message: 'database "pets" is not currently accepting connections' } });
  });

  it('reports it down when the session fails the question, and ends that session', async () => {
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const { probe, releases } = probeOver(async () => Promise.reject(terminated));

    expect(await probe.check()).toEqual({ database: { status: 'down', message: 'terminating connection due to administrator command' } });
    expect(releases).toEqual([true]);
  });

  it('reports it down when it does not answer in time', async () => {
    jest.useFakeTimers();
    try {
      const { probe } = probeOver(() => new Promise(() => undefined));
      const answer = probe.check();
      await jest.advanceTimersByTimeAsync(2000);
      expect(await answer).toEqual({ database: { status: 'down', message: 'no answer within 2000 ms' } });
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports it down while the service is not connected to it', async () => {
    const probe = new DatabaseHealthProbe({ isInitialized: false } as DataSource, new HealthIndicatorService());

    expect(await probe.check()).toEqual({ database: { status: 'down', message: 'not connected yet' } });
  });
});
