import { randomUUID } from 'node:crypto';
import { api, ApiResponse } from '../support/api';
import { stack } from '../support/stack';
import { login, signUpCustomer, storeOwnerToken, TestUser } from '../support/users';

/** user-service's defaults, which the suite's stack keeps. */
const MAX_ATTEMPTS = 5;
const MAX_ATTEMPTS_PER_USERNAME = 20;
const MAX_ATTEMPTS_PER_CLIENT = 100;

function loginFrom(address: string, username: string, password: string): Promise<ApiResponse<{ message: string } | string>> {
  return api('GET', `/api/v3/user/login?${new URLSearchParams({ username, password })}`, { headers: { 'x-forwarded-for': address } });
}

/** A client address of its own for each attempt (sent as X-Forwarded-For; the suite's gateway trusts its loopback proxy). */
function address(n: number, block = 0): string {
  return `10.${block}.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

/** Enough wrong guesses at a username, each from an address of its own in `block`, to refuse it from any address not known to its user. */
async function guessFromElsewhere(username: string, block: number): Promise<void> {
  for (let n = 0; n < MAX_ATTEMPTS_PER_USERNAME; n++) {
    expect((await loginFrom(address(n + 10, block), username, `wrong ${n}`)).status).toBe(400);
  }
}

async function canRead(user: TestUser, token: string): Promise<number> {
  return (await api('GET', `/api/v3/user/${user.username}`, { token })).status;
}

describe('changing a password', () => {
  let alice: TestUser;

  beforeEach(async () => {
    alice = await signUpCustomer('password');
  });

  it('takes the current password when it is your own', async () => {
    const missing = await api<{ message: string }>('PUT', `/api/v3/user/${alice.username}`, {
      token: alice.token,
      json: { password: 'a brand new password' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('currentPassword is required to change your own password');

    const wrong = await api<{ message: string }>('PUT', `/api/v3/user/${alice.username}`, {
      token: alice.token,
      json: { password: 'a brand new password', currentPassword: 'not the password' },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.message).toBe('currentPassword is not the current password');
    expect(typeof (await login(alice.username, alice.password))).toBe('string');
  });

  it('ends every token issued before: a stolen one stops working', async () => {
    const stolen = await login(alice.username, alice.password);
    const changed = await api('PUT', `/api/v3/user/${alice.username}`, {
      token: alice.token,
      json: { password: 'a brand new password', currentPassword: alice.password },
    });
    expect(changed.status).toBe(200);
    expect(await canRead(alice, stolen)).toBe(401);
    expect(await canRead(alice, alice.token)).toBe(401);
    expect((await api('GET', `/api/v3/user/login?${new URLSearchParams({ username: alice.username, password: alice.password })}`)).status).toBe(400);
    expect(await canRead(alice, await login(alice.username, 'a brand new password'))).toBe(200);
  });

  it("is a store owner's to reset for someone else, without the current one, ending that user's tokens", async () => {
    const reset = await api('PUT', `/api/v3/user/${alice.username}`, {
      token: await storeOwnerToken(),
      json: { password: 'reset by the store owner' },
    });
    expect(reset.status).toBe(200);
    expect(await canRead(alice, alice.token)).toBe(401);
    expect(await canRead(alice, await login(alice.username, 'reset by the store owner'))).toBe(200);
  });
});

describe('logoutUserEverywhere', () => {
  it('ends every session of the caller, and only theirs', async () => {
    const [alice, bob] = await Promise.all([signUpCustomer('everywhere'), signUpCustomer('bystander')]);
    const otherDevice = await login(alice.username, alice.password);
    const response = await api('POST', '/api/v3/user/logoutEverywhere', { token: alice.token });
    expect(response.status).toBe(200);
    expect(await canRead(alice, alice.token)).toBe(401);
    expect(await canRead(alice, otherDevice)).toBe(401);
    expect(await canRead(bob, bob.token)).toBe(200);
    expect(await canRead(alice, await login(alice.username, alice.password))).toBe(200);
  });

  it('needs a login', async () => {
    expect((await api('POST', '/api/v3/user/logoutEverywhere')).status).toBe(401);
  });
});

describe('login limits beyond one username and one address', () => {
  it('limits one username guessed from many addresses, even for the right password', async () => {
    const target = await signUpCustomer('guessed');
    for (let n = 0; n < MAX_ATTEMPTS_PER_USERNAME; n++) {
      expect((await loginFrom(address(n, 1), target.username, `wrong ${n}`)).status).toBe(400);
    }
    const refused = await loginFrom(address(MAX_ATTEMPTS_PER_USERNAME, 1), target.username, target.password);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ message: expect.stringContaining('too many login attempts for this username;') });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("does not lock an account's owner out of an address they logged in from; a new address is refused, and the known one keeps its own limit", async () => {
    const target = await signUpCustomer('locked-out');
    const home = address(0, 4);
    expect((await loginFrom(home, target.username, target.password)).status).toBe(200);
    await guessFromElsewhere(target.username, 4);
    const newAddress = await loginFrom(address(1, 4), target.username, target.password);
    expect(newAddress.status).toBe(429);
    expect(newAddress.body).toMatchObject({ message: expect.stringContaining('too many login attempts for this username;') });

    expect((await loginFrom(home, target.username, target.password)).status).toBe(200);
    for (let n = 0; n < MAX_ATTEMPTS; n++) {
      expect((await loginFrom(home, target.username, `wrong at home ${n}`)).status).toBe(400);
    }
    const guessedAtHome = await loginFrom(home, target.username, target.password);
    expect(guessedAtHome.status).toBe(429);
    expect(guessedAtHome.body).toMatchObject({ message: expect.stringContaining('too many login attempts for this username from this client;') });
  });

  it('forgets the addresses the old password logged in from once it is changed, all but the one that changed it', async () => {
    const target = await signUpCustomer('changed-password');
    const formerHome = address(0, 5);
    const home = address(1, 5);
    expect((await loginFrom(formerHome, target.username, target.password)).status).toBe(200);
    const homeToken = await loginFrom(home, target.username, target.password);
    expect(homeToken.status).toBe(200);
    const changed = await api('PUT', `/api/v3/user/${target.username}`, {
      token: homeToken.body as string,
      headers: { 'x-forwarded-for': home },
      json: { password: 'the new password', currentPassword: target.password },
    });
    expect(changed.status).toBe(200);

    await guessFromElsewhere(target.username, 5);
    const fromFormerHome = await loginFrom(formerHome, target.username, 'the new password');
    expect(fromFormerHome.status).toBe(429);
    expect(fromFormerHome.body).toMatchObject({ message: expect.stringContaining('too many login attempts for this username;') });
    expect((await loginFrom(home, target.username, 'the new password')).status).toBe(200);
  });

  it('forgets every address of a user whose password a store owner reset', async () => {
    const target = await signUpCustomer('reset-password');
    const home = address(0, 6);
    expect((await loginFrom(home, target.username, target.password)).status).toBe(200);
    const reset = await api('PUT', `/api/v3/user/${target.username}`, {
      token: await storeOwnerToken(),
      headers: { 'x-forwarded-for': home },
      json: { password: 'reset by the store owner' },
    });
    expect(reset.status).toBe(200);

    await guessFromElsewhere(target.username, 6);
    expect((await loginFrom(home, target.username, 'reset by the store owner')).status).toBe(429);
  });

  it('limits one address trying many usernames', async () => {
    const origin = address(7, 2);
    const attempts = Array.from({ length: MAX_ATTEMPTS_PER_CLIENT }, (_, n) => `nobody-${n}-${randomUUID().slice(0, 8)}`);
    for (let start = 0; start < attempts.length; start += 10) {
      const statuses = await Promise.all(
        attempts.slice(start, start + 10).map(async (username) => (await loginFrom(origin, username, 'guess')).status),
      );
      expect(statuses).toEqual(statuses.map(() => 400));
    }
    const carol = await signUpCustomer('same-address');
    const refused = await loginFrom(origin, carol.username, carol.password);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ message: expect.stringContaining('too many login attempts from this client;') });
    expect((await loginFrom(address(8, 2), carol.username, carol.password)).status).toBe(200);
  });
});

describe('a flood of logins', () => {
  it('is answered 503 with Retry-After past what hashing can take, while the rest of the system keeps answering', async () => {
    const flood = Array.from({ length: 120 }, (_, n) => loginFrom(address(n, 3), `flood-${n}-${randomUUID().slice(0, 8)}`, 'a guess'));
    const health = await fetch(`${stack.urlOf('api-gateway')}/health`);
    const answers = await Promise.all(flood);

    // The body names the service the gateway found down, should one be.
    expect({ status: health.status, body: await health.json() }).toMatchObject({ status: 200 });
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status !== 400 && status !== 503)).toEqual([]);
    const refused = answers.filter((answer) => answer.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.body).toMatchObject({ message: 'password hashing is at capacity; retry shortly' });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});
