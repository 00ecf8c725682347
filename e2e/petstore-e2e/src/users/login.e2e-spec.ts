import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api } from '../support/api';
import { stack } from '../support/stack';
import { signUpCustomer, TestUser } from '../support/users';
import { decodeToken } from './tokens';

const MAX_ATTEMPTS = 5;

function loginByQuery(username: string, password: string) {
  return api<string>('GET', `/api/v3/user/login?${new URLSearchParams({ username, password })}`);
}

function loginByBody(username: string, password: string) {
  return api<string>('POST', '/api/v3/user/login', { json: { username, password } });
}

describe('loginUser', () => {
  let alice: TestUser;

  beforeAll(async () => {
    alice = await signUpCustomer('login');
  });

  it('answers the token as a JSON string with X-Rate-Limit and X-Expires-After', async () => {
    const before = Date.now();
    const response = await loginByQuery(alice.username, alice.password);
    const after = Date.now();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(typeof response.body).toBe('string');
    expect(response.headers.get('x-rate-limit')).toBe(String(MAX_ATTEMPTS));
    const expiresAfter = response.headers.get('x-expires-after') as string;
    expect(expiresAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    // An hour from when the token was issued, to the second the token's exp carries.
    expect(Date.parse(expiresAfter)).toBeGreaterThanOrEqual(before + 3600 * 1000 - 1000);
    expect(Date.parse(expiresAfter)).toBeLessThanOrEqual(after + 3600 * 1000 + 1000);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('issues an RS256 token carrying the user id, username, roles, an id and an expiry of at most an hour', async () => {
    const { body: token } = await loginByQuery(alice.username, alice.password);
    const { header, claims } = decodeToken(token);
    const { body: user } = await api<{ id: number }>('GET', `/api/v3/user/${alice.username}`, { token });
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });
    expect(claims).toMatchObject({
      sub: String(user.id),
      username: alice.username,
      roles: ['customer'],
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iss: 'petstore-user-service',
      aud: 'petstore-api',
    });
    expect(Number(claims['exp']) - Number(claims['iat'])).toBeLessThanOrEqual(3600);
  });

  it('also logs in with a JSON body (POST), the same way', async () => {
    const response = await loginByBody(alice.username.toUpperCase(), alice.password);
    expect(response.status).toBe(200);
    expect(decodeToken(response.body).claims['username']).toBe(alice.username);
    expect(response.headers.get('x-expires-after')).toBeTruthy();
  });

  it('answers 400 alike for a wrong password and an unknown username', async () => {
    const wrong = await loginByQuery(alice.username, 'not the password');
    const unknown = await loginByQuery(`${alice.username}-nobody`, alice.password);
    for (const response of [wrong, unknown]) {
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ message: 'invalid username or password' });
    }
  });

  it('answers 400 when the username or password is missing', async () => {
    expect((await api('GET', '/api/v3/user/login')).status).toBe(400);
    expect((await api('GET', `/api/v3/user/login?username=${alice.username}`)).status).toBe(400);
    expect((await api('POST', '/api/v3/user/login', { json: { username: alice.username } })).status).toBe(400);
  });
});

describe('login rate limit', () => {
  it(`refuses a username with 429 and Retry-After after ${MAX_ATTEMPTS} failures from a client, even with the right password`, async () => {
    const alice = await signUpCustomer('ratelimit');
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const login = attempt % 2 ? loginByQuery : loginByBody;
      expect((await login(alice.username, `wrong-${attempt}`)).status).toBe(400);
    }
    const limited = await loginByQuery(alice.username, alice.password);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect((await loginByBody(alice.username, alice.password)).status).toBe(429);
    expect((await api('GET', `/api/v3/user/${alice.username}`, { token: alice.token })).status).toBe(200);
  });

  it('does not limit other usernames from the same client', async () => {
    const [alice, bob] = await Promise.all([signUpCustomer('ratelimit-a'), signUpCustomer('ratelimit-b')]);
    for (let attempt = 0; attempt <= MAX_ATTEMPTS; attempt++) await loginByQuery(alice.username, 'wrong password');
    expect((await loginByQuery(alice.username, alice.password)).status).toBe(429);
    expect((await loginByQuery(bob.username, bob.password)).status).toBe(200);
  });

  it('counts parallel guesses too', async () => {
    const alice = await signUpCustomer('ratelimit-burst');
    const answers = await Promise.all(Array.from({ length: 12 }, () => loginByBody(alice.username, 'wrong password')));
    expect(answers.filter((answer) => answer.status === 400)).toHaveLength(MAX_ATTEMPTS);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(12 - MAX_ATTEMPTS);
  });

  it('starts the count afresh after a successful login', async () => {
    const alice = await signUpCustomer('ratelimit-reset');
    for (let round = 0; round < 2; round++) {
      for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) await loginByQuery(alice.username, 'wrong password');
      expect((await loginByQuery(alice.username, alice.password)).status).toBe(200);
    }
  });
});

describe('log hygiene', () => {
  it('never writes a password or a login query string to any app log', async () => {
    const alice = await signUpCustomer('logs');
    await loginByQuery(alice.username, alice.password);
    await loginByQuery(alice.username, `${alice.password}-wrong`);
    await loginByBody(alice.username, alice.password);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const file of readdirSync(stack.logDir)) {
      const log = readFileSync(join(stack.logDir, file), 'utf8');
      expect(log).not.toContain(alice.password);
      expect(log).not.toContain('password=');
    }
  });
});
