import { AuthenticatedUser } from '@petstore/dto';
import { ServiceName, signingKeyOf, signServiceToken } from '@petstore/platform';
import { TEST_IDENTITY_KEYS } from './service-identity-keys';

type TestIdentity = keyof typeof TEST_IDENTITY_KEYS;

/** A token `issuer` would sign for a call to `audience`; `now` and `ttlSeconds` let a spec make one that is expired or lives too long. */
export function serviceToken(
  issuer: TestIdentity,
  audience: ServiceName,
  options: { user?: AuthenticatedUser; now?: Date; ttlSeconds?: number } = {},
): string {
  return signServiceToken(signingKeyOf(TEST_IDENTITY_KEYS[issuer]), { issuer, audience, ...options });
}
