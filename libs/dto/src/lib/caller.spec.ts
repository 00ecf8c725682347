import { CALLER_HEADERS, Role } from './auth';
import { callerFromHeaders, callerHeaders, hasRole } from './caller';

describe('caller headers', () => {
  it('carry the verified caller from the gateway to a service unchanged', () => {
    const caller = { id: 42, username: 'alice', roles: [Role.Customer, Role.StoreOwner] };
    expect(callerHeaders(caller)).toEqual({ 'x-user-id': '42', 'x-username': 'alice', 'x-user-roles': 'customer,storeOwner' });
    expect(callerFromHeaders(callerHeaders(caller))).toEqual(caller);
  });

  it('mean an anonymous call when the id or username is missing or not valid', () => {
    expect(callerFromHeaders({})).toBeUndefined();
    expect(callerFromHeaders({ [CALLER_HEADERS.id]: 'abc', [CALLER_HEADERS.username]: 'alice' })).toBeUndefined();
    expect(callerFromHeaders({ [CALLER_HEADERS.id]: '0', [CALLER_HEADERS.username]: 'alice' })).toBeUndefined();
    expect(callerFromHeaders({ [CALLER_HEADERS.id]: '7' })).toBeUndefined();
  });

  it('keep only roles that exist', () => {
    const caller = callerFromHeaders({ [CALLER_HEADERS.id]: '7', [CALLER_HEADERS.username]: 'bob', [CALLER_HEADERS.roles]: 'admin,customer' });
    expect(caller).toEqual({ id: 7, username: 'bob', roles: [Role.Customer] });
    expect(hasRole(caller, Role.StoreOwner)).toBe(false);
    expect(hasRole(undefined, Role.Customer)).toBe(false);
  });
});
