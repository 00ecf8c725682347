import { ConfigType } from '@nestjs/config';
import { AuthenticatedUser } from '@petstore/dto';
import Joi from 'joi';
import { generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { configNamespace, variable } from '../config-namespace';
import { identityKeyVariableOf, ServiceName } from '../service-catalog';
import { SERVICE_TOKEN_ALGORITHM, ServiceSigningKey, signingKeyOf, signServiceToken } from './service-token';

/** The key a service signs its calls with; absent, each process generates its own at start. */
export const serviceIdentityConfig = (service: ServiceName) =>
  configNamespace('serviceIdentity', {
    privateKey: variable(identityKeyVariableOf(service), Joi.string().pattern(/-----BEGIN (EC )?PRIVATE KEY-----/, 'a PEM private key')),
  });

export type ServiceIdentityConfig = ConfigType<ReturnType<typeof serviceIdentityConfig>>;

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

  /** A token for one call to `audience`, for `user` when this service acts on a user's behalf. */
  tokenFor(audience: ServiceName, user?: AuthenticatedUser): string {
    return signServiceToken(this.key, { issuer: this.service, audience, user });
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
