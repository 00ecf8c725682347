import { Role } from '@petstore/dto';
import { api } from '../support/api';
import { inDatabase } from '../support/databases';
import { STORE_OWNER } from '../support/environment';
import { storeOwnerToken } from '../support/users';

/** Every store owner in the suite's own user database: with its own data, the suite knows them all. */
async function storeOwners(): Promise<string[]> {
  const { rows } = await inDatabase('user-service', (client) =>
    client.query<{ username: string }>('SELECT username FROM users WHERE $1 = ANY(roles)', [Role.StoreOwner]),
  );
  return rows.map((row) => row.username);
}

describe('the last store owner', () => {
  beforeAll(async () => {
    const token = await storeOwnerToken();
    for (const username of await storeOwners()) {
      if (username === STORE_OWNER.username) continue;
      const demoted = await api('PUT', `/api/v3/user/${username}/roles`, { token, json: { roles: [Role.Customer] } });
      expect(demoted.status).toBe(200);
    }
    expect(await storeOwners()).toEqual([STORE_OWNER.username]);
  });

  it('cannot be deleted', async () => {
    const response = await api<{ message: string }>('DELETE', `/api/v3/user/${STORE_OWNER.username}`, { token: await storeOwnerToken() });
    expect(response.status).toBe(409);
    expect(response.body.message).toContain('last store owner');
  });

  it('cannot be demoted', async () => {
    const response = await api<{ message: string }>('PUT', `/api/v3/user/${STORE_OWNER.username}/roles`, {
      token: await storeOwnerToken(),
      json: { roles: [Role.Customer] },
    });
    expect(response.status).toBe(409);
    expect(response.body.message).toContain('last store owner');
  });

  afterAll(async () => {
    expect(await storeOwners()).toEqual([STORE_OWNER.username]);
    expect((await api('GET', `/api/v3/user/${STORE_OWNER.username}`, { token: await storeOwnerToken() })).status).toBe(200);
  });
});
