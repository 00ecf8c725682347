import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TOKEN_ALGORITHM } from '@petstore/dto';
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { authConfig, AuthConfig } from '../app/auth.config';

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
const generateRsaKeyPair = promisify(generateKeyPair);

/** RFC 7638 thumbprint: the key id is derived from the key itself. */
function thumbprintOf(publicKey: KeyObject): string {
  const { e, kty, n } = publicKey.export({ format: 'jwk' });
  return createHash('sha256').update(JSON.stringify({ e, kty, n })).digest('base64url');
}

function jwkOf({ kid, publicKey }: Pick<SigningKey, 'kid' | 'publicKey'>): PublicJwk {
  return { ...publicKey.export({ format: 'jwk' }), kid, alg: TOKEN_ALGORITHM, use: 'sig' };
}

/**
 * The RSA key tokens are signed with. With JWT_PRIVATE_KEY, that key. Otherwise each instance
 * generates its own pair at start and a new one every JWT_KEY_ROTATION_SECONDS, keeps the
 * private half only in memory and stores the public half in user_db: the JWKS lists every key
 * that may still have signed an unexpired token (one rotation period plus a token's lifetime),
 * so every instance's tokens verify, and a retired key until its last token expires.
 */
@Injectable()
export class SigningKeys implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SigningKeys.name);
  private current?: SigningKey;
  private rotation?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(authConfig.KEY) private readonly config: AuthConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.privateKey) {
      const privateKey = createPrivateKey(this.config.privateKey);
      if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('JWT_PRIVATE_KEY must be an RSA private key');
      const publicKey = createPublicKey(privateKey);
      this.current = { kid: thumbprintOf(publicKey), privateKey, publicKey };
      this.logger.log(`signing tokens with JWT_PRIVATE_KEY (${this.current.kid})`);
      return;
    }
    await this.rotate();
    this.rotation = setInterval(() => {
      this.rotate().catch((error: Error) => this.logger.error(`key rotation failed; signing on with ${this.active.kid}: ${error.message}`));
    }, this.config.keyRotationSeconds * 1000).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.rotation);
  }

  get active(): SigningKey {
    if (!this.current) throw new Error('the signing key is not loaded yet');
    return this.current;
  }

  /** The keys a token of ours may have been signed with and not expired yet. */
  async publicJwks(): Promise<{ keys: PublicJwk[] }> {
    if (this.config.privateKey) return { keys: [jwkOf(this.active)] };
    const rows: { kid: string; publicKey: string }[] = await this.dataSource.query(
      `SELECT kid, public_key AS "publicKey" FROM signing_keys WHERE created_at > now() - make_interval(secs => $1) ORDER BY created_at DESC`,
      [this.verifyingSeconds()],
    );
    return { keys: rows.map(({ kid, publicKey }) => jwkOf({ kid, publicKey: createPublicKey(publicKey) })) };
  }

  /** A key signs for one rotation period; its tokens live a token's lifetime after that. */
  private verifyingSeconds(): number {
    return this.config.keyRotationSeconds + this.config.tokenTtlSeconds;
  }

  /** A new pair: its public half stored (so the JWKS lists it) before it signs anything; keys past verifying dropped. */
  private async rotate(): Promise<void> {
    const { privateKey, publicKey } = await generateRsaKeyPair('rsa', { modulusLength: RSA_MODULUS_BITS });
    const kid = thumbprintOf(publicKey);
    await this.dataSource.query(`INSERT INTO signing_keys (kid, algorithm, public_key) VALUES ($1, $2, $3)`, [
      kid,
      TOKEN_ALGORITHM,
      publicKey.export({ format: 'pem', type: 'spki' }),
    ]);
    await this.dataSource.query(`DELETE FROM signing_keys WHERE created_at <= now() - make_interval(secs => $1)`, [this.verifyingSeconds()]);
    this.current = { kid, privateKey, publicKey };
    this.logger.log(`signing tokens with a new key ${kid}`);
  }
}
