import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TOKEN_ALGORITHM } from '@petstore/dto';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { DataSource } from 'typeorm';
import { authConfig, AuthConfig } from '../app/auth.config';

/** A row of user_db's `signing_keys`: the key pair user-service signs tokens with; the private half is read only here. */
interface SigningKeyRecord {
  kid: string;
  privateKey: string;
  publicKey: string;
}

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A public key in JSON Web Key form, as the gateway fetches it. */
export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: string;
  use: 'sig';
}

const RSA_MODULUS_BITS = 2048;

/** RFC 7638 thumbprint: the key id is derived from the key itself. */
function thumbprintOf(publicKey: KeyObject): string {
  const { e, kty, n } = publicKey.export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ e, kty, n })).digest('base64url');
}

/**
 * The RSA key pair tokens are signed with: from JWT_PRIVATE_KEY when set, otherwise generated
 * on the first start and kept in user_db. Only the public half ever leaves this service.
 */
@Injectable()
export class SigningKeys implements OnModuleInit {
  private readonly logger = new Logger(SigningKeys.name);
  private current?: SigningKey;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const privateKey = createPrivateKey(this.config.privateKey ?? (await this.loadOrCreate()).privateKey);
    if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('JWT_PRIVATE_KEY must be an RSA private key');
    const publicKey = createPublicKey(privateKey);
    this.current = { kid: thumbprintOf(publicKey), privateKey, publicKey };
    this.logger.log(`signing tokens with key ${this.current.kid}`);
  }

  get active(): SigningKey {
    if (!this.current) throw new Error('the signing key is not loaded yet');
    return this.current;
  }

  publicJwks(): { keys: PublicJwk[] } {
    const { kid, publicKey } = this.active;
    return { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: TOKEN_ALGORITHM, use: 'sig' }] };
  }

  /** One key for every instance: the first to start creates it under a lock, the others read it. */
  private loadOrCreate(): Promise<SigningKeyRecord> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('signing_keys'))`);
      const [existing]: SigningKeyRecord[] = await manager.query(
        `SELECT kid, private_key AS "privateKey", public_key AS "publicKey" FROM signing_keys ORDER BY created_at DESC LIMIT 1`,
      );
      if (existing) return existing;
      const pair = generateKeyPairSync('rsa', { modulusLength: RSA_MODULUS_BITS });
      this.logger.log('generated a new token signing key pair');
      const created: SigningKeyRecord = {
        kid: thumbprintOf(pair.publicKey),
        privateKey: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
        publicKey: pair.publicKey.export({ format: 'pem', type: 'spki' }) as string,
      };
      await manager.query(`INSERT INTO signing_keys (kid, algorithm, private_key, public_key) VALUES ($1, $2, $3, $4)`, [
        created.kid,
        TOKEN_ALGORITHM,
        created.privateKey,
        created.publicKey,
      ]);
      return created;
    });
  }
}
