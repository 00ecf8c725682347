import { ErrorResponse } from '@petstore/dto';
import { randomUUID } from 'node:crypto';
import { messageOf } from '../pets/support/pets';
import { api } from '../support/api';
import { login, signUpCustomer, storeOwnerToken } from '../support/users';
import { decodeToken } from './tokens';

function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

const PASSWORD = 'a long enough password';

describe('createUser (sign-up)', () => {
  it('creates a customer and answers with the user, never the password', async () => {
    const username = uniqueName('signup');
    // An id the store's sequence does not reach in a test run, so the store's own cannot equal it by chance.
    const clientsId = 1_000_000_000 + Math.floor(Math.random() * 1_000_000);
    const response = await api<Record<string, unknown>>('POST', '/api/v3/user', {
      json: {
        id: clientsId,
        username,
        firstName: 'John',
        lastName: 'James',
        email: 'john@email.com',
        password: PASSWORD,
        phone: '12345',
        userStatus: 1,
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      id: expect.any(Number),
      username,
      firstName: 'John',
      lastName: 'James',
      email: 'john@email.com',
      phone: '12345',
      userStatus: 1,
      roles: ['customer'],
    });
    expect(response.body['id']).not.toBe(clientsId);
    expect(JSON.stringify(response.body)).not.toContain(PASSWORD);
  });

  it('answers fields the user left unset as the contract types them: absent, and userStatus 0', async () => {
    const username = uniqueName('signup-bare');
    const response = await api('POST', '/api/v3/user', { json: { username, password: PASSWORD } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: expect.any(Number), username, userStatus: 0, roles: ['customer'] });
  });

  it('accepts the form-encoded body the contract allows', async () => {
    const username = uniqueName('signup-form');
    const response = await api('POST', '/api/v3/user', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password: PASSWORD, userStatus: '2' }).toString(),
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ username, userStatus: 2, roles: ['customer'] });
  });

  it('ignores a role the sign-up asks for', async () => {
    const username = uniqueName('signup-role');
    const response = await api('POST', '/api/v3/user', { json: { username, password: PASSWORD, roles: ['storeOwner'] } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ roles: ['customer'] });
    expect(decodeToken(await login(username, PASSWORD)).claims['roles']).toEqual(['customer']);
  });

  it('answers 409 for a taken username, in any case', async () => {
    const { username } = await signUpCustomer('signup-taken');
    for (const taken of [username, username.toUpperCase()]) {
      const response = await api('POST', '/api/v3/user', { json: { username: taken, password: PASSWORD } });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ message: `username ${username} is already taken` });
    }
  });

  it('sent again under its Idempotency-Key, answers the user it created instead of 409; with another password it is 422', async () => {
    const username = uniqueName('signup-keyed');
    const key = randomUUID();
    const signUp = (password: string, idempotencyKey?: string) =>
      api<Record<string, unknown>>('POST', '/api/v3/user', {
        json: { username, password, email: `${username}@example.com` },
        headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {},
      });

    const first = await signUp(PASSWORD, key);
    expect(first).toMatchObject({ status: 200, body: { username, roles: ['customer'] } });
    expect(await signUp(PASSWORD, key)).toMatchObject({ status: 200, body: first.body });
    expect(await signUp('another long password', key)).toMatchObject({
      status: 422,
      body: { message: `Idempotency-Key '${key}' was sent before with a different request; send a new key for a new request` },
    });
    expect(await signUp(PASSWORD)).toMatchObject({ status: 409, body: { message: `username ${username} is already taken` } });
    expect(typeof (await login(username, PASSWORD))).toBe('string');
  });

  it.each([
    ['an invalid email', { email: 'not-an-email' }, 'email must be a valid email address'],
    ['a short password', { password: 'short' }, 'password must be longer than or equal to 8 characters'],
    ['no password', { password: undefined }, 'password must be a string'],
    ['a username with spaces', { username: 'two words' }, 'username must be 1 to 64 letters, digits, or . _ @ -'],
    ['a reserved username', { username: 'login' }, 'username "login" is reserved'],
    ['a userStatus that is not an integer', { userStatus: 'active' }, 'userStatus must be an integer number'],
  ])('answers 400 naming the problem for %s', async (_case, change, message) => {
    const response = await api<{ message: string[] }>('POST', '/api/v3/user', {
      json: { username: uniqueName('signup-bad'), password: PASSWORD, ...change },
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain(message);
  });
});

describe('createUsersWithListInput', () => {
  it('creates every user of the list as a customer, for a store owner', async () => {
    const names = [uniqueName('list'), uniqueName('list')];
    const response = await api<{ username: string; roles: string[] }[]>('POST', '/api/v3/user/createWithList', {
      token: await storeOwnerToken(),
      json: names.map((username) => ({ username, password: PASSWORD, email: `${username}@example.com`, roles: ['storeOwner'] })),
    });
    expect(response.status).toBe(200);
    expect(response.body.map((user) => [user.username, user.roles])).toEqual(names.map((name) => [name, ['customer']]));
    expect(JSON.stringify(response.body)).not.toContain(PASSWORD);
    expect(typeof (await login(names[1], PASSWORD))).toBe('string');
  });

  it("sent again under the store owner's Idempotency-Key, answers the users it created; with another password it is 422", async () => {
    const owner = await storeOwnerToken();
    const names = [uniqueName('list-keyed'), uniqueName('list-keyed')];
    const key = randomUUID();
    const createUnderKey = (passwords: string[]) =>
      api<{ id: number; username: string }[]>('POST', '/api/v3/user/createWithList', {
        token: owner,
        json: names.map((username, index) => ({ username, password: passwords[index] })),
        headers: { 'Idempotency-Key': key },
      });

    const first = await createUnderKey([PASSWORD, PASSWORD]);
    expect(first.status).toBe(200);
    expect(first.body.map((user) => user.username)).toEqual(names);
    expect(await createUnderKey([PASSWORD, PASSWORD])).toMatchObject({ status: 200, body: first.body });
    expect(await createUnderKey([PASSWORD, 'another long password'])).toMatchObject({ status: 422 });
    expect(typeof (await login(names[1], PASSWORD))).toBe('string');
  });

  it('creates none of the list when one username is taken or repeated', async () => {
    const owner = await storeOwnerToken();
    const { username: taken } = await signUpCustomer('list-taken');
    const fresh = uniqueName('list-fresh');
    for (const list of [
      [fresh, taken],
      [fresh, fresh.toUpperCase()],
    ]) {
      const response = await api('POST', '/api/v3/user/createWithList', {
        token: owner,
        json: list.map((username) => ({ username, password: PASSWORD })),
      });
      expect(response.status).toBe(409);
    }
    expect((await api('GET', `/api/v3/user/${fresh}`, { token: owner })).status).toBe(404);
  });

  it('answers 400 naming the item for an invalid user, an empty list, or a body that is not a list', async () => {
    const owner = await storeOwnerToken();
    const invalid = await api<{ message: string[] }>('POST', '/api/v3/user/createWithList', {
      token: owner,
      json: [
        { username: uniqueName('list-ok'), password: PASSWORD },
        { username: uniqueName('list-bad'), password: PASSWORD, email: 'nope' },
      ],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toContain('[1] email must be a valid email address');
    expect((await api('POST', '/api/v3/user/createWithList', { token: owner, json: [] })).status).toBe(400);
    expect((await api('POST', '/api/v3/user/createWithList', { token: owner, json: { username: 'x' } })).status).toBe(400);
  });
});

describe('getUserByName, updateUser, deleteUser', () => {
  it('reads the caller themselves, whatever the case of the name', async () => {
    const alice = await signUpCustomer('self');
    for (const name of [alice.username, alice.username.toUpperCase()]) {
      const response = await api('GET', `/api/v3/user/${name}`, { token: alice.token });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ username: alice.username, roles: ['customer'] });
      expect(response.body).not.toHaveProperty('password');
    }
  });

  it('answers 400 for a username that cannot exist', async () => {
    const owner = await storeOwnerToken();
    expect((await api('GET', `/api/v3/user/${encodeURIComponent('bad name!')}`, { token: owner })).status).toBe(400);
  });

  it('updates the fields present and keeps the others; a new password replaces the old one', async () => {
    const alice = await signUpCustomer('update');
    const response = await api('PUT', `/api/v3/user/${alice.username}`, {
      token: alice.token,
      json: { email: 'new@example.com', phone: '555', password: 'a brand new password', currentPassword: alice.password },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ username: alice.username, firstName: 'Test', lastName: 'User', email: 'new@example.com', phone: '555' });
    expect(response.body).not.toHaveProperty('password');
    const oldLogin = await api('GET', `/api/v3/user/login?${new URLSearchParams({ username: alice.username, password: alice.password })}`);
    expect(oldLogin.status).toBe(400);
    expect(typeof (await login(alice.username, 'a brand new password'))).toBe('string');
  });

  it('answers 400 for an invalid email in an update', async () => {
    const alice = await signUpCustomer('update-bad');
    const response = await api('PUT', `/api/v3/user/${alice.username}`, { token: alice.token, json: { email: 'nope' } });
    expect(response.status).toBe(400);
  });

  it('renames a user: 409 for a taken name; after it, old tokens get 401 and the new name logs in', async () => {
    const alice = await signUpCustomer('rename');
    const { username: taken } = await signUpCustomer('rename-taken');
    const conflict = await api('PUT', `/api/v3/user/${alice.username}`, { token: alice.token, json: { username: taken } });
    expect(conflict.status).toBe(409);
    const renamed = uniqueName('renamed');
    const response = await api('PUT', `/api/v3/user/${alice.username}`, { token: alice.token, json: { username: renamed } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ username: renamed });
    expect((await api('GET', `/api/v3/user/${renamed}`, { token: alice.token })).status).toBe(401);
    const token = await login(renamed, alice.password);
    expect(decodeToken(token).claims['username']).toBe(renamed);
    expect((await api('GET', `/api/v3/user/${renamed}`, { token })).status).toBe(200);
  });

  it('deletes the caller themselves; the name is then free and unknown', async () => {
    const alice = await signUpCustomer('delete-self');
    const response = await api('DELETE', `/api/v3/user/${alice.username}`, { token: alice.token });
    expect(response.status).toBe(200);
    const owner = await storeOwnerToken();
    expect((await api('GET', `/api/v3/user/${alice.username}`, { token: owner })).status).toBe(404);
    expect((await api('DELETE', `/api/v3/user/${alice.username}`, { token: owner })).status).toBe(404);
  });

  it('lets a store owner delete a customer', async () => {
    const alice = await signUpCustomer('delete-by-owner');
    const owner = await storeOwnerToken();
    expect((await api('DELETE', `/api/v3/user/${alice.username}`, { token: owner })).status).toBe(200);
    expect((await api('GET', `/api/v3/user/${alice.username}`, { token: owner })).status).toBe(404);
  });

  it("sent again under a store owner's Idempotency-Key, answers 200 as the first did, where without it it is 404; another user under that key is 422", async () => {
    const alice = await signUpCustomer('delete-under-key');
    const bob = await signUpCustomer('delete-under-key');
    const owner = await storeOwnerToken();
    const key = randomUUID();
    const deleteUnderKey = (username: string) => api('DELETE', `/api/v3/user/${username}`, { token: owner, headers: { 'Idempotency-Key': key } });

    expect((await deleteUnderKey(alice.username)).status).toBe(200);
    expect((await deleteUnderKey(alice.username)).status).toBe(200);
    expect((await api('DELETE', `/api/v3/user/${alice.username}`, { token: owner })).status).toBe(404);
    expect((await deleteUnderKey(bob.username)).status).toBe(422);
    expect((await api('GET', `/api/v3/user/${bob.username}`, { token: owner })).status).toBe(200);
  });

  it('lets a store owner who is not the last one step down or be deleted', async () => {
    const owner = await storeOwnerToken();
    const carol = await signUpCustomer('second-owner');
    await api('PUT', `/api/v3/user/${carol.username}/roles`, { token: owner, json: { roles: ['storeOwner'] } });
    const demoted = await api('PUT', `/api/v3/user/${carol.username}/roles`, { token: owner, json: { roles: ['customer'] } });
    expect(demoted.status).toBe(200);
    await api('PUT', `/api/v3/user/${carol.username}/roles`, { token: owner, json: { roles: ['storeOwner'] } });
    expect((await api('DELETE', `/api/v3/user/${carol.username}`, { token: owner })).status).toBe(200);
  });

  it('answers 400 for roles that do not exist', async () => {
    const owner = await storeOwnerToken();
    const alice = await signUpCustomer('roles-bad');
    for (const roles of [['admin'], [], 'storeOwner']) {
      expect((await api('PUT', `/api/v3/user/${alice.username}/roles`, { token: owner, json: { roles } })).status).toBe(400);
    }
  });
});

describe('user writes under If-Match', () => {
  type UserBody = Record<string, unknown>;
  const read = (username: string, token: string) => api<UserBody>('GET', `/api/v3/user/${username}`, { token });
  const entityTagOf = async (username: string, token: string): Promise<string> => (await read(username, token)).headers.get('etag') as string;
  const updateUnder = (username: string, token: string, ifMatch: string, changes: UserBody) =>
    api<UserBody | ErrorResponse>('PUT', `/api/v3/user/${username}`, { token, json: changes, headers: { 'If-Match': ifMatch } });

  it('a user answers its version as ETag; updateUser and the roles under it change the user and answer the new one; logging out everywhere keeps it', async () => {
    const alice = await signUpCustomer('etag');
    const owner = await storeOwnerToken();
    const first = await entityTagOf(alice.username, alice.token);
    expect(first).toMatch(/^"\d+"$/);
    expect(await entityTagOf(alice.username, owner)).toBe(first);

    const updated = await updateUnder(alice.username, alice.token, first, { phone: '555-0100' });
    expect(updated).toMatchObject({ status: 200, body: { phone: '555-0100' } });
    const second = updated.headers.get('etag') as string;
    expect(second).not.toBe(first);
    expect(await entityTagOf(alice.username, alice.token)).toBe(second);

    const promoted = await api<UserBody>('PUT', `/api/v3/user/${alice.username}/roles`, {
      token: owner,
      json: { roles: ['customer', 'storeOwner'] },
      headers: { 'If-Match': second },
    });
    expect(promoted).toMatchObject({ status: 200, body: { roles: ['customer', 'storeOwner'] } });
    const third = promoted.headers.get('etag') as string;
    expect(third).not.toBe(second);
    expect(await entityTagOf(alice.username, owner)).toBe(third);

    const relogged = await login(alice.username, alice.password);
    expect((await api('POST', '/api/v3/user/logoutEverywhere', { token: relogged })).status).toBe(200);
    expect(await entityTagOf(alice.username, owner)).toBe(third);
  });

  it('getUserByName answers 304 without a body to an If-None-Match naming the current ETag, and the user once it changed', async () => {
    const alice = await signUpCustomer('etag-read');
    const first = await read(alice.username, alice.token);
    const tag = first.headers.get('etag') as string;
    const readUnder = (ifNoneMatch: string) =>
      api<UserBody | string>('GET', `/api/v3/user/${alice.username}`, { token: alice.token, headers: { 'If-None-Match': ifNoneMatch } });

    const notModified = await readUnder(tag);
    expect(notModified).toMatchObject({ status: 304, body: '' });
    expect(notModified.headers.get('etag')).toBe(tag);
    expect((await readUnder(`W/${tag}`)).status).toBe(304);
    expect(await readUnder('"0"')).toMatchObject({ status: 200, body: first.body });

    const updated = await updateUnder(alice.username, alice.token, tag, { phone: '555-0199' });
    expect(await readUnder(tag)).toMatchObject({ status: 200, body: updated.body });
    expect((await api('GET', `/api/v3/user/${alice.username}`, { headers: { 'If-None-Match': tag } })).status).toBe(401);
  });

  it('updateUser, setUserRoles and deleteUser refuse a user changed since it was read with 412 naming its ETag, changing nothing', async () => {
    const alice = await signUpCustomer('etag-stale');
    const owner = await storeOwnerToken();
    const stale = await entityTagOf(alice.username, owner);
    const changed = await updateUnder(alice.username, alice.token, stale, { firstName: 'Changed' });
    const current = changed.headers.get('etag') as string;

    const staleUpdate = await updateUnder(alice.username, owner, stale, { firstName: 'Overwritten' });
    expect(staleUpdate.status).toBe(412);
    expect(messageOf(staleUpdate.body)).toBe(
      `user ${alice.username} changed since it was read: it is at ${current}, not ${stale}; read it again and send the change with its ETag`,
    );
    const staleRoles = await api<ErrorResponse>('PUT', `/api/v3/user/${alice.username}/roles`, {
      token: owner,
      json: { roles: ['storeOwner'] },
      headers: { 'If-Match': stale },
    });
    expect(staleRoles.status).toBe(412);
    const staleDelete = await api<ErrorResponse>('DELETE', `/api/v3/user/${alice.username}`, { token: owner, headers: { 'If-Match': stale } });
    expect(staleDelete.status).toBe(412);
    expect((await updateUnder(alice.username, owner, `W/${current}`, { firstName: 'Weak' })).status).toBe(412);

    expect(await read(alice.username, alice.token)).toMatchObject({ status: 200, body: { ...changed.body, roles: ['customer'] } });
    expect(await entityTagOf(alice.username, owner)).toBe(current);
    expect((await api('DELETE', `/api/v3/user/${alice.username}`, { token: owner, headers: { 'If-Match': current } })).status).toBe(200);
    expect((await read(alice.username, owner)).status).toBe(404);
  });

  it('of many updates sent at once under the same If-Match, exactly one is made; the others are 412', async () => {
    const alice = await signUpCustomer('etag-race');
    const tag = await entityTagOf(alice.username, alice.token);
    const phones = Array.from({ length: 6 }, (_, index) => `555-010${index}`);
    const answers = await Promise.all(phones.map((phone) => updateUnder(alice.username, alice.token, tag, { phone })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412, 412, 412, 412, 412]);
    const winner = answers.find((answer) => answer.status === 200)?.body as UserBody;
    expect((await read(alice.username, alice.token)).body['phone']).toBe(winner['phone']);
  });

  it('answers 404 for an unknown user and 400 naming a malformed If-Match, changing nothing', async () => {
    const owner = await storeOwnerToken();
    expect((await updateUnder(uniqueName('nobody'), owner, '"1"', { phone: '1' })).status).toBe(404);
    const alice = await signUpCustomer('etag-malformed');
    const before = await read(alice.username, alice.token);
    for (const malformed of ['3', '"3', '*, "3"']) {
      const response = await updateUnder(alice.username, alice.token, malformed, { phone: '1' });
      expect(response.status).toBe(400);
      expect(messageOf(response.body)).toContain('If-Match must be * or a list of entity tags');
    }
    expect(await read(alice.username, alice.token)).toMatchObject({ status: 200, body: before.body });
  });

  it('are documented: If-Match and 412 on each write, ETag on each answer that shows a user', async () => {
    const document = await api<{
      paths: Record<string, Record<string, { operationId: string; parameters?: unknown[]; responses: Record<string, unknown> }>>;
    }>('GET', '/docs-json');
    const byId = new Map(
      Object.values(document.body.paths).flatMap((operations) => Object.values(operations).map((operation) => [operation.operationId, operation])),
    );
    for (const operationId of ['updateUser', 'setUserRoles', 'deleteUser']) {
      expect(byId.get(operationId)?.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', in: 'header', required: false }));
      expect(byId.get(operationId)?.responses).toMatchObject({ '412': expect.anything() });
    }
    for (const operationId of ['getUserByName', 'updateUser', 'setUserRoles']) {
      expect(byId.get(operationId)?.responses).toMatchObject({ '200': { headers: { ETag: expect.anything() } } });
    }
    expect(byId.get('getUserByName')?.parameters).toContainEqual(expect.objectContaining({ name: 'If-None-Match', in: 'header' }));
    expect(byId.get('getUserByName')?.responses).toMatchObject({ '304': expect.anything() });
  });
});
