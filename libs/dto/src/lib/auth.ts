export enum Role {
  Customer = 'customer',
  StoreOwner = 'storeOwner',
}

/** Who a verified token says the caller is; the gateway forwards it to services as headers. */
export interface AuthenticatedUser {
  id: number;
  username: string;
  roles: Role[];
}

/** Headers the gateway sets on calls it forwards, after verifying the caller's token. */
export const CALLER_HEADERS = {
  id: 'x-user-id',
  username: 'x-username',
  roles: 'x-user-roles',
} as const;
