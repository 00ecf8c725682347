export enum Role {
  Customer = 'customer',
  StoreOwner = 'storeOwner',
}

/** Who a verified token says the caller is; the gateway names it in its service token to services. */
export interface AuthenticatedUser {
  id: number;
  username: string;
  roles: Role[];
}

export function hasRole(user: AuthenticatedUser | undefined, role: Role): boolean {
  return user?.roles.includes(role) ?? false;
}
