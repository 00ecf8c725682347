import { generateKeyPairSync } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuthConfig } from '../app/auth.config';
import { SigningKeys } from './signing-keys.service';

interface StoredKey {
  kid: string;
  algorithm: string;
  privateKey: string;
  publicKey: string;
}

/** signing_keys as the service's SQL sees it: the lock, the newest row, and an insert. */
function dataSourceWith(stored: StoredKey[]) {
  const manager = {
    query: jest.fn(async (sql: string, parameters: string[] = []) => {
      if (sql.startsWith('SELECT kid')) return stored.slice(-1);
      if (sql.startsWith('INSERT INTO signing_keys')) {
        const [kid, algorithm, privateKey, publicKey] = parameters;
        stored.push({ kid, algorithm, privateKey, publicKey });
      }
      return [];
    }),
  };
  const dataSource = { transaction: (work: (manager: EntityManager) => unknown) => work(manager as unknown as EntityManager) };
  return { dataSource: dataSource as unknown as DataSource, manager };
}

describe('SigningKeys', () => {
  it('generates a key pair on the first start and reuses it on the next', async () => {
    const stored: StoredKey[] = [];
    const first = dataSourceWith(stored);
    const keys = new SigningKeys(first.dataSource, {} as AuthConfig);
    await keys.onModuleInit();
    expect(first.manager.query).toHaveBeenCalledWith(expect.stringContaining('pg_advisory_xact_lock'));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ algorithm: 'RS256', kid: keys.active.kid });

    const again = new SigningKeys(dataSourceWith(stored).dataSource, {} as AuthConfig);
    await again.onModuleInit();
    expect(stored).toHaveLength(1);
    expect(again.active.kid).toBe(keys.active.kid);
  });

  it('uses JWT_PRIVATE_KEY when given, without touching the database', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const { dataSource, manager } = dataSourceWith([]);
    const keys = new SigningKeys(dataSource, { privateKey: pem } as AuthConfig);
    await keys.onModuleInit();
    expect(manager.query).not.toHaveBeenCalled();
    expect(keys.active.privateKey.export({ format: 'pem', type: 'pkcs8' })).toBe(pem);
  });

  it('refuses a private key that is not RSA', async () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const keys = new SigningKeys(dataSourceWith([]).dataSource, { privateKey: pem } as AuthConfig);
    await expect(keys.onModuleInit()).rejects.toThrow('JWT_PRIVATE_KEY must be an RSA private key');
  });

  it('publishes only the public half, under its thumbprint', async () => {
    const keys = new SigningKeys(dataSourceWith([]).dataSource, {} as AuthConfig);
    await keys.onModuleInit();
    const { keys: published } = keys.publicJwks();
    expect(published).toHaveLength(1);
    expect(published[0]).toEqual({ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: keys.active.kid, alg: 'RS256', use: 'sig' });
    expect(keys.active.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
