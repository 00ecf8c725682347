import { ConfigType } from '@nestjs/config';
import { AuthenticatedUser } from '@petstore/dto';
import Joi from 'joi';
import { LRUCache } from 'lru-cache';
import { generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { configNamespace, variable } from '../config-namespace';
import { identityKeyVariableOf, ServiceName } from '../service-catalog';
import { SERVICE_TOKEN_ALGORITHM, SERVICE_TOKEN_TTL_SECONDS, ServiceSigningKey, signingKeyOf, signServiceToken } from './service-token';

/** The key a service signs its calls with; absent, each process generates its own at start. */
export const serviceIdentityConfig = (service: ServiceName) =>
  configNamespace('serviceIdentity', {
    privateKey: variable(identityKeyVariableOf(service), Joi.string().pattern(/-----BEGIN (EC )?PRIVATE KEY-----/, 'a PEM private key')),
  });

export type ServiceIdentityConfig = ConfigType<ReturnType<typeof serviceIdentityConfig>>;

/** How many tokens (one per callee and user) are kept for reuse. */
const ISSUED_TOKENS_KEPT = 10_000;

/** A public key in JSON Web Key form, as callees fetch it. */
export interface ServiceJwk extends JsonWebKey {
  kid: string;
  alg: string;
  use: 'sig';
}

/**
 * Who this service is to the services it calls: its name and key pair. It signs a short-lived
 * token for every call; only the public half leaves the process, at SERVICE_JWKS_PATH.
 */
export class ServiceIdentity {
  private readonly key: ServiceSigningKey;
  private readonly publicKey: KeyObject;
  private readonly issued = new LRUCache<string, string>({ max: ISSUED_TOKENS_KEPT, ttl: (SERVICE_TOKEN_TTL_SECONDS * 1000) / 2 });

  constructor(
    readonly service: ServiceName,
    privateKeyPem?: string,
  ) {
    let signing: ReturnType<typeof signingKeyOf>;
    try {
      signing = signingKeyOf(privateKeyPem ?? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    } catch (error) {
      throw new Error(`${identityKeyVariableOf(service)}: ${(error as Error).message}`);
    }
    this.key = { kid: signing.kid, privateKey: signing.privateKey };
    this.publicKey = signing.publicKey;
  }

  /**
   * A token for a call to `audience`, for `user` when this service acts on a user's behalf. The
   * same token serves every such call for the first half of its life: signing (and the callee's
   * verification) per call would cost more than the call, and a token caught on the wire could
   * be replayed for its whole life either way.
   */
  tokenFor(audience: ServiceName, user?: AuthenticatedUser): string {
    const key = user ? `${audience} ${user.id} ${user.username} ${user.roles.join(',')}` : audience;
    let token = this.issued.get(key);
    if (!token) {
      token = signServiceToken(this.key, { issuer: this.service, audience, user });
      this.issued.set(key, token);
    }
    return token;
  }

  jwks(): { keys: ServiceJwk[] } {
    return {
      keys: [
        {
          ...this.publicKey.export({ format: 'jwk' }),
          kid: this.key.kid,
          alg: SERVICE_TOKEN_ALGORITHM,
          use: 'sig',
        },
      ],
    };
  }
}
