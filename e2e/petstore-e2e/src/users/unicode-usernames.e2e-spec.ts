import { randomUUID } from 'node:crypto';
import { api } from '../support/api';
import { login, signUpCustomer, TestUser } from '../support/users';

/** The fullwidth form of an ASCII name: it looks the same, and NFKC folds it back. */
const fullwidth = (name: string) => [...name].map((c) => (/[a-z0-9]/.test(c) ? String.fromCodePoint(c.charCodeAt(0) + 0xfee0) : c)).join('');

function signUp(username: string) {
  return api('POST', '/api/v3/user', { json: { username, password: `pw-${randomUUID()}`, email: 'look-alike@example.com' } });
}

describe('usernames that look like another', () => {
  let alice: TestUser;

  beforeAll(async () => {
    alice = await signUpCustomer('lookalike');
  });

  it('cannot be registered in fullwidth letters: the name is normalized and is taken', async () => {
    const response = await signUp(fullwidth(alice.username));
    expect(response.status).toBe(409);
  });

  it('cannot be registered with a letter of another script', async () => {
    const response = await signUp(alice.username.replace('o', '\u043e'));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ message: ['username must be 1 to 64 letters, digits, or . _ @ -'] });
  });

  it('are answered 400 for control or invisible characters', async () => {
    for (const username of [`${alice.username}\u0007`, `${alice.username}\u200d`]) {
      const response = await signUp(username);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ message: ['username must not contain control or invisible characters'] });
    }
  });

  it('name the same user in a login and in a path when written in fullwidth', async () => {
    const token = await login(fullwidth(alice.username), alice.password);
    const response = await api('GET', `/api/v3/user/${encodeURIComponent(fullwidth(alice.username))}`, { token });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ username: alice.username });
  });
});
