import { AuthenticatedUser, CALLER_HEADERS, Role } from './auth';

const ROLE_VALUES = Object.values(Role) as string[];

/** The headers that tell a service who the gateway verified the caller to be. */
export function callerHeaders(user: AuthenticatedUser): Record<string, string> {
  return {
    [CALLER_HEADERS.id]: String(user.id),
    [CALLER_HEADERS.username]: user.username,
    [CALLER_HEADERS.roles]: user.roles.join(','),
  };
}

/** The caller a service was told about by the gateway, or undefined for an anonymous call. */
export function callerFromHeaders(headers: Record<string, string | string[] | undefined>): AuthenticatedUser | undefined {
  const first = (name: string) => [headers[name]].flat()[0];
  const id = Number(first(CALLER_HEADERS.id));
  const username = first(CALLER_HEADERS.username);
  if (!Number.isSafeInteger(id) || id < 1 || !username) return undefined;
  const roles = (first(CALLER_HEADERS.roles) ?? '')
    .split(',')
    .filter((role): role is Role => ROLE_VALUES.includes(role));
  return { id, username, roles };
}

export function hasRole(user: AuthenticatedUser | undefined, role: Role): boolean {
  return user?.roles.includes(role) ?? false;
}
