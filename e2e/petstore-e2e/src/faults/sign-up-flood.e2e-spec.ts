import { randomBytes, randomUUID } from 'node:crypto';
import { api, ApiResponse } from '../support/api';
import { inDatabase } from '../support/databases';
import { atTheDefaultOf } from './support/faults';

const DEFAULT_LIMIT = 20;
const DEFAULT_WINDOW_SECONDS = 3600;

/**
 * A client network of its own, a /64 at random in IPv6's documentation prefix; its addresses are
 * sent as X-Forwarded-For (the suite's gateway trusts its loopback proxy).
 */
function newClientNetwork(): string {
  return `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}:`;
}

function newClientAddress(): string {
  return `${newClientNetwork()}:1`;
}

function newUsername(): string {
  return `flood-${randomUUID().slice(0, 8)}`;
}

function signUpFrom(address: string, username: string): Promise<ApiResponse<{ message?: string }>> {
  return api('POST', '/api/v3/user', {
    json: { username, password: `pw-${randomUUID()}`, email: `${username}@example.com` },
    headers: { 'x-forwarded-for': address },
  });
}

async function existingUsers(usernames: string[]): Promise<string[]> {
  return inDatabase('user-service', async (client) => {
    const { rows } = await client.query<{ username: string }>('SELECT username FROM users WHERE username = ANY($1) ORDER BY username', [usernames]);
    return rows.map((row) => row.username);
  });
}

/**
 * Every limit kept per account (orders awaiting approval, login attempts per username) is only
 * as strong as accounts are scarce. user-service runs here with its default sign-up limit (the
 * suite's other specs sign up hundreds of customers from one address), restarted before and after.
 */
describe('a client signing up account after account', () => {
  atTheDefaultOf('user-service', 'SIGN_UP_MAX_PER_CLIENT');

  it(`opens at most ${DEFAULT_LIMIT} accounts an hour: the next sign-up is 429 with Retry-After and creates no user; other clients sign up as before`, async () => {
    const network = newClientNetwork();
    const flooder = `${network}:1`;
    for (let n = 0; n < DEFAULT_LIMIT; n++) expect((await signUpFrom(flooder, newUsername())).status).toBe(200);

    const refusedName = newUsername();
    const refused = await signUpFrom(flooder, refusedName);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(
      new RegExp(`^too many sign-ups from this client: at most ${DEFAULT_LIMIT} in ${DEFAULT_WINDOW_SECONDS} seconds; retry after \\d+ seconds$`),
    );
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(DEFAULT_WINDOW_SECONDS - 600);
    expect(retryAfter).toBeLessThanOrEqual(DEFAULT_WINDOW_SECONDS);
    expect(await existingUsers([refusedName])).toEqual([]);
    // An IPv6 client holds its whole /64: another of its addresses is the same client.
    expect((await signUpFrom(`${network}:ffff:2`, refusedName)).status).toBe(429);

    expect((await signUpFrom(newClientAddress(), refusedName)).status).toBe(200);
  });

  it('refuses exactly the sign-ups past the limit when they all arrive at once', async () => {
    const flooder = newClientAddress();
    const usernames = Array.from({ length: DEFAULT_LIMIT + 6 }, newUsername);

    const statuses = (await Promise.all(usernames.map((username) => signUpFrom(flooder, username)))).map((answer) => answer.status);

    expect(statuses.filter((status) => status === 429)).toHaveLength(6);
    // Every attempt is counted before its password is hashed; a burst may find the hashers full (503, nothing created).
    expect(statuses.filter((status) => status !== 429 && status !== 200 && status !== 503)).toEqual([]);
    const created = usernames.filter((_, index) => statuses[index] === 200);
    expect(await existingUsers(usernames)).toEqual([...created].sort());
  });
});
