import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JWKS_PATH, TOKEN_ALGORITHM } from '@petstore/dto';
import { InjectServiceClient, ServiceClient } from '@petstore/platform';
import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';

/** How soon the keys may be fetched again when a token names a key id the gateway does not know. */
const MIN_REFRESH_INTERVAL_MS = 5000;

interface TokenHeader {
  alg?: unknown;
  kid?: unknown;
}

function headerOf(rawToken: string): TokenHeader {
  try {
    const header: unknown = JSON.parse(Buffer.from(rawToken.split('.')[0], 'base64url').toString('utf8'));
    if (header && typeof header === 'object') return header as TokenHeader;
  } catch {
    // answered below like any other malformed token
  }
  throw new UnauthorizedException('the token is malformed');
}

/**
 * user-service's public signing keys, fetched from its JWKS on first need and cached; fetched
 * again when a token names an unknown key id. A gateway started before user-service answers
 * 503 until the keys can be fetched, then works without a restart.
 */
@Injectable()
export class PublicKeys {
  /**
   * Public keys by key id, imported once: handing jsonwebtoken a PEM string would make it
   * import the key again on every request (about a tenth of the gateway's CPU in the profile).
   */
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private fetching?: Promise<void>;

  constructor(@InjectServiceClient('user-service') private readonly users: ServiceClient) {}

  /** The key that must have signed this token; 401 when the token cannot be one of ours. */
  async keyFor(rawToken: string): Promise<KeyObject> {
    const { alg, kid } = headerOf(rawToken);
    if (alg !== TOKEN_ALGORITHM) throw new UnauthorizedException(`the token is not signed with ${TOKEN_ALGORITHM}`);
    if (typeof kid !== 'string') throw new UnauthorizedException('the token names no signing key');
    if (!this.keys.has(kid) && Date.now() - this.fetchedAt >= MIN_REFRESH_INTERVAL_MS) await this.refresh();
    const key = this.keys.get(kid);
    if (!key) throw new UnauthorizedException('the token was not signed by a known key');
    return key;
  }

  private refresh(): Promise<void> {
    this.fetching ??= this.fetch().finally(() => (this.fetching = undefined));
    return this.fetching;
  }

  private async fetch(): Promise<void> {
    const { keys } = await this.users.json<{ keys: JsonWebKey[] }>({ path: JWKS_PATH });
    this.keys = new Map(
      keys
        .filter((jwk) => jwk['alg'] === TOKEN_ALGORITHM && typeof jwk['kid'] === 'string')
        .map((jwk) => [jwk['kid'] as string, createPublicKey({ key: jwk, format: 'jwk' })]),
    );
    this.fetchedAt = Date.now();
  }
}
