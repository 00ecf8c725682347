import { randomUUID } from 'node:crypto';
import { api } from '../support/api';
import { STORE_OWNER } from '../support/environment';
import { login, signUpCustomer, storeOwnerToken, TestUser } from '../support/users';
import { decodeToken, forgeToken, strangerKey, userServiceKeys } from './tokens';

/** A route any logged-in caller may use on their own user: the simplest probe of token checks. */
function readSelf(user: { username: string }, token?: string, headers?: Record<string, string>) {
  return api('GET', `/api/v3/user/${user.username}`, { token, headers });
}

describe('tokens the gateway refuses with 401', () => {
  let alice: TestUser;

  beforeAll(async () => {
    alice = await signUpCustomer('auth');
  });

  it('accepts the token user-service issued', async () => {
    const response = await readSelf(alice, alice.token);
    expect(response.status).toBe(200);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a scheme other than Bearer', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['an empty bearer token', { authorization: 'Bearer ' }],
  ])('refuses %s', async (_case, headers) => {
    const response = await readSelf(alice, undefined, headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.body).toMatchObject({ statusCode: 401, message: 'a bearer token is required' });
  });

  it.each(['not-a-jwt', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0', '%%%.%%%.%%%'])('refuses the malformed token %s', async (token) => {
    const response = await readSelf(alice, token);
    expect(response.status).toBe(401);
  });

  it('refuses a token whose claims were changed after signing', async () => {
    const [header, , signature] = alice.token.split('.');
    const claims = { ...decodeToken(alice.token).claims, roles: ['storeOwner'] };
    const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const response = await readSelf(alice, tampered);
    expect(response.status).toBe(401);
  });

  it('refuses a token signed with another key, even under the real key id', async () => {
    const forged = forgeToken(decodeToken(alice.token), strangerKey());
    const response = await readSelf(alice, forged);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ message: 'the token is invalid: invalid signature' });
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const { header, claims } = decodeToken(alice.token);
    const response = await readSelf(alice, forgeToken({ header: { ...header, alg: 'none' }, claims }));
    expect(response.status).toBe(401);
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const { header, claims } = decodeToken(alice.token);
    const { publicKey } = userServiceKeys();
    const response = await readSelf(alice, forgeToken({ header: { ...header, alg: 'HS256' }, claims }, publicKey));
    expect(response.status).toBe(401);
  });

  it('refuses a correctly signed token that has expired', async () => {
    const { header, claims } = decodeToken(alice.token);
    const { privateKey } = userServiceKeys();
    const now = Math.floor(Date.now() / 1000);
    const expired = forgeToken({ header, claims: { ...claims, iat: now - 7200, exp: now - 60 } }, privateKey);
    const response = await readSelf(alice, expired);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ message: 'the token has expired' });
  });

  it('refuses a correctly signed token for another audience or issuer', async () => {
    const { header, claims } = decodeToken(alice.token);
    const { privateKey } = userServiceKeys();
    for (const change of [{ aud: 'another-api' }, { iss: 'someone-else' }]) {
      const response = await readSelf(alice, forgeToken({ header, claims: { ...claims, ...change } }, privateKey));
      expect(response.status).toBe(401);
    }
  });

  it('refuses a correctly signed token from before its user was renamed or given other roles', async () => {
    const { header, claims } = decodeToken(alice.token);
    const { privateKey } = userServiceKeys();
    const response = await readSelf(alice, forgeToken({ header, claims: { ...claims, ver: Number(claims['ver']) + 1 } }, privateKey));
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({
      message: expect.stringContaining("the token was issued before its user's username, password or roles changed"),
    });
  });

  it('refuses a token after logout, and only that token', async () => {
    const other = await login(alice.username, alice.password);
    const logout = await api('GET', '/api/v3/user/logout', { token: alice.token });
    expect(logout.status).toBe(200);
    const revoked = await readSelf(alice, alice.token);
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ message: 'the token has been revoked' });
    expect((await api('GET', '/api/v3/user/logout', { token: alice.token })).status).toBe(401);
    expect((await readSelf(alice, other)).status).toBe(200);
    alice.token = other;
  });

  it("refuses a deleted user's token, saying the user no longer exists, so a self-deletion sent again learns it was made", async () => {
    const bob = await signUpCustomer('auth-deleted');
    const deleteSelf = () => api('DELETE', `/api/v3/user/${bob.username}`, { token: bob.token, headers: { 'Idempotency-Key': 'delete-myself' } });
    expect((await deleteSelf()).status).toBe(200);
    const again = await deleteSelf();
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ message: "the token's user no longer exists: it was deleted" });
    expect((await readSelf(bob, bob.token)).status).toBe(401);
  });
});

describe('roles and ownership', () => {
  let alice: TestUser;
  let bob: TestUser;
  let owner: string;

  beforeAll(async () => {
    [alice, bob, owner] = await Promise.all([signUpCustomer('roles-a'), signUpCustomer('roles-b'), storeOwnerToken()]);
  });

  it('lets a customer read, update and delete only their own user (403 for anyone else, existing or not)', async () => {
    for (const target of [bob.username, STORE_OWNER.username, `nobody-${randomUUID().slice(0, 8)}`]) {
      expect((await api('GET', `/api/v3/user/${target}`, { token: alice.token })).status).toBe(403);
      expect((await api('PUT', `/api/v3/user/${target}`, { token: alice.token, json: { firstName: 'Mallory' } })).status).toBe(403);
      expect((await api('DELETE', `/api/v3/user/${target}`, { token: alice.token })).status).toBe(403);
    }
    expect((await api('GET', `/api/v3/user/${bob.username}`, { token: bob.token })).status).toBe(200);
  });

  it('lets a store owner read and update any user, and answers 404 for a missing one', async () => {
    expect((await api('GET', `/api/v3/user/${bob.username}`, { token: owner })).status).toBe(200);
    const updated = await api('PUT', `/api/v3/user/${bob.username}`, { token: owner, json: { lastName: 'Checked' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ username: bob.username, lastName: 'Checked' });
    expect((await api('GET', `/api/v3/user/nobody-${randomUUID().slice(0, 8)}`, { token: owner })).status).toBe(404);
  });

  it('keeps bulk creation and role changes for store owners', async () => {
    const list = [{ username: `roles-bulk-${randomUUID().slice(0, 8)}`, password: 'password-123' }];
    const bulk = await api('POST', '/api/v3/user/createWithList', { token: alice.token, json: list });
    expect(bulk.status).toBe(403);
    expect(bulk.body).toMatchObject({ message: 'this operation requires the storeOwner role' });
    expect((await api('POST', '/api/v3/user/createWithList', { json: list })).status).toBe(401);
    const promote = await api('PUT', `/api/v3/user/${alice.username}/roles`, { token: alice.token, json: { roles: ['storeOwner'] } });
    expect(promote.status).toBe(403);
  });

  it('ends the old tokens of a user whose roles change, and the new token carries the new roles', async () => {
    const carol = await signUpCustomer('roles-promoted');
    const promoted = await api('PUT', `/api/v3/user/${carol.username}/roles`, {
      token: owner,
      json: { roles: ['customer', 'storeOwner'] },
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ roles: ['customer', 'storeOwner'] });
    expect((await readSelf(carol, carol.token)).status).toBe(401);
    const token = await login(carol.username, carol.password);
    expect(decodeToken(token).claims['roles']).toEqual(['customer', 'storeOwner']);
    const list = [{ username: `roles-bulk-${randomUUID().slice(0, 8)}`, password: 'password-123' }];
    expect((await api('POST', '/api/v3/user/createWithList', { token, json: list })).status).toBe(200);
    expect((await api('DELETE', `/api/v3/user/${carol.username}`, { token })).status).toBe(200);
  });
});

describe('public routes', () => {
  it('serves health, the Swagger UI and document without a token', async () => {
    expect((await api('GET', '/health')).status).toBe(200);
    expect((await api('GET', '/docs')).status).toBe(200);
    expect((await api('GET', '/docs-json')).status).toBe(200);
  });

  it('documents a bearer scheme and which operations need it', async () => {
    const { body } = await api<{
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
      paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>>;
    }>('GET', '/docs-json');
    expect(body.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.values(body.paths).flatMap((methods) => Object.values(methods));
    const security = (operationId: string) => operations.find((operation) => operation.operationId === operationId)?.security;
    expect(security('createUser')).toEqual([]);
    expect(security('loginUser')).toEqual([]);
    for (const operationId of ['createUsersWithListInput', 'logoutUser', 'getUserByName', 'updateUser', 'deleteUser']) {
      expect(security(operationId)).toEqual([{ bearer: [] }]);
    }
  });
});
