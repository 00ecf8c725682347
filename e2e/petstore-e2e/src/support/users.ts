import { randomUUID } from 'node:crypto';
import { api } from './api';
import { STORE_OWNER } from './environment';

export interface TestUser {
  username: string;
  password: string;
  token: string;
}

export async function login(username: string, password: string): Promise<string> {
  const query = new URLSearchParams({ username, password });
  const response = await api<string>('GET', `/api/v3/user/login?${query}`);
  if (response.status !== 200) throw new Error(`login of ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

let storeOwnerLogin: Promise<string> | undefined;

/**
 * A token of the store owner the suite seeds (see environment.ts). One login per spec file, even
 * when many callers ask at once: parallel logins of one username would trip the login throttle.
 */
export function storeOwnerToken(): Promise<string> {
  storeOwnerLogin ??= login(STORE_OWNER.username, STORE_OWNER.password).catch((error: Error) => {
    storeOwnerLogin = undefined;
    throw error;
  });
  return storeOwnerLogin;
}

/** Signs up a new customer with a unique name and logs them in. */
export async function signUpCustomer(prefix = 'customer'): Promise<TestUser> {
  const username = `${prefix}-${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  const response = await api('POST', '/api/v3/user', {
    json: { username, password, email: `${username}@example.com`, firstName: 'Test', lastName: 'User' },
  });
  if (response.status !== 200) throw new Error(`sign-up of ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { username, password, token: await login(username, password) };
}
