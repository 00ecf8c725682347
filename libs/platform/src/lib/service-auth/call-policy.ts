import { SetMetadata } from '@nestjs/common';
import { Role } from '@petstore/dto';
import { ServiceName } from '../service-catalog';

export const CALL_POLICY = 'callPolicy';

/** The one service that calls on behalf of users: it verified their access token. */
export const USER_FACING_SERVICE: ServiceName = 'api-gateway';

/**
 * Who may call a route: which services, and whether on a user's behalf — 'none' (a service acting
 * on its own), 'optional' (anyone, signed in or not), 'required' (a signed-in user with one of
 * `roles`, when any are named).
 */
export interface CallPolicy {
  callers: ServiceName[];
  user: 'none' | 'optional' | 'required';
  roles: Role[];
}

const callPolicy = (policy: CallPolicy) => SetMetadata(CALL_POLICY, policy);

/** The gateway may call it for anyone, signed in or not (sign-up, finding pets). */
export const ForAnyone = () => callPolicy({ callers: [USER_FACING_SERVICE], user: 'optional', roles: [] });

/** The gateway may call it for a signed-in user, who must hold one of `roles` when any are named. */
export const ForSignedInUser = (...roles: Role[]) => callPolicy({ callers: [USER_FACING_SERVICE], user: 'required', roles });

/** Only these services may call it, on their own behalf: a token that carries a user is refused. */
export const ServiceOnly = (...callers: ServiceName[]) => callPolicy({ callers, user: 'none', roles: [] });
