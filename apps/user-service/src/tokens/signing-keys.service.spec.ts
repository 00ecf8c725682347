import { generateKeyPairSync } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuthConfig } from '../app/auth.config';
import { SigningKeys } from './signing-keys.service';

interface StoredKey {
  kid: string;
  algorithm: string;
  publicKey: string;
  createdAt: number;
}

const ROTATION_SECONDS = 3600;
const TTL_SECONDS = 600;
const config = { keyRotationSeconds: ROTATION_SECONDS, tokenTtlSeconds: TTL_SECONDS } as AuthConfig;

/** signing_keys as the service's SQL sees it, on a clock the test moves. */
function database(clock: { now: number }) {
  const stored: StoredKey[] = [];
  const since = (seconds: number) => clock.now - seconds * 1000;
  const query = jest.fn(async (sql: string, parameters: unknown[] = []) => {
    if (sql.startsWith('INSERT INTO signing_keys')) {
      const [kid, algorithm, publicKey] = parameters as string[];
      stored.push({ kid, algorithm, publicKey, createdAt: clock.now });
    } else if (sql.startsWith('DELETE FROM signing_keys')) {
      stored.splice(0, stored.length, ...stored.filter((key) => key.createdAt > since(parameters[0] as number)));
    } else if (sql.startsWith('SELECT kid')) {
      return stored.filter((key) => key.createdAt > since(parameters[0] as number)).reverse();
    }
    return [];
  });
  return { stored, query, dataSource: { query } as unknown as DataSource };
}

describe('SigningKeys', () => {
  const clock = { now: Date.now() };
  let keys: SigningKeys | undefined;

  beforeEach(() => jest.useFakeTimers({ now: clock.now, doNotFake: ['nextTick', 'setImmediate'] }));
  afterEach(() => {
    keys?.onModuleDestroy();
    jest.useRealTimers();
  });

  it('generates a key pair at start, storing only the public half', async () => {
    const { stored, dataSource } = database(clock);
    keys = new SigningKeys(dataSource, config);
    await keys.onModuleInit();

    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kid: keys.active.kid, algorithm: 'RS256', publicKey: expect.stringContaining('BEGIN PUBLIC KEY') });
    expect(JSON.stringify(stored)).not.toContain('PRIVATE');
  });

  it('publishes every instance’s key: each signs with its own, and all verify', async () => {
    const shared = database(clock);
    const first = new SigningKeys(shared.dataSource, config);
    const second = new SigningKeys(shared.dataSource, config);
    await first.onModuleInit();
    await second.onModuleInit();

    const published = (await first.publicJwks()).keys.map((jwk) => jwk.kid);
    expect(published).toEqual(expect.arrayContaining([first.active.kid, second.active.kid]));
    expect(first.active.kid).not.toBe(second.active.kid);
    first.onModuleDestroy();
    second.onModuleDestroy();
  });

  it('rotates every JWT_KEY_ROTATION_SECONDS and keeps the old key published until its last token has expired', async () => {
    const { dataSource } = database(clock);
    keys = new SigningKeys(dataSource, config);
    await keys.onModuleInit();
    const old = keys.active.kid;

    clock.now += ROTATION_SECONDS * 1000;
    jest.advanceTimersByTime(ROTATION_SECONDS * 1000);
    await waitUntil(() => keys?.active.kid !== old);
    const rotated = keys.active.kid;
    expect((await keys.publicJwks()).keys.map((jwk) => jwk.kid)).toEqual([rotated, old]);

    clock.now += TTL_SECONDS * 1000;
    expect((await keys.publicJwks()).keys.map((jwk) => jwk.kid)).toEqual([rotated]);
  });

  it('uses JWT_PRIVATE_KEY when given, without touching the database', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const { query, dataSource } = database(clock);
    keys = new SigningKeys(dataSource, { ...config, privateKey: pem });
    await keys.onModuleInit();
    expect(query).not.toHaveBeenCalled();
    expect(keys.active.privateKey.export({ format: 'pem', type: 'pkcs8' })).toBe(pem);
    expect((await keys.publicJwks()).keys).toEqual([
      { kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: keys.active.kid, alg: 'RS256', use: 'sig' },
    ]);
    expect(keys.active.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a private key that is not RSA', async () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    keys = new SigningKeys(database(clock).dataSource, { ...config, privateKey: pem });
    await expect(keys.onModuleInit()).rejects.toThrow('JWT_PRIVATE_KEY must be an RSA private key');
  });
});

/** Lets the rotation the timer started finish: key generation runs on libuv's pool, slowly on a loaded machine. */
async function waitUntil(done: () => boolean): Promise<void> {
  const deadline = process.hrtime.bigint() + BigInt(30e9);
  while (!done() && process.hrtime.bigint() < deadline) await new Promise((resolve) => setImmediate(resolve));
  if (!done()) throw new Error('the rotation did not finish');
}
