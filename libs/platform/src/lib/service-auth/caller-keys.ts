import { OnApplicationShutdown, UnauthorizedException } from '@nestjs/common';
import { createPublicKey, KeyObject } from 'node:crypto';
import { ServiceClient } from '../service-client';
import { ServiceName } from '../service-catalog';
import type { ServiceJwk } from './service-identity';
import { SERVICE_JWKS_PATH, SERVICE_TOKEN_ALGORITHM } from './service-token';

/** How soon a caller's keys may be fetched again when a token names a key id not known yet. */
const MIN_REFRESH_INTERVAL_MS = 5000;

interface KeySet {
  /** Public keys by key id, imported once: importing one per verification would cost more than the check. */
  keys: Map<string, KeyObject>;
  fetchedAt: number;
  fetching?: Promise<void>;
}

/**
 * The public keys of the services that call this one, fetched from each caller's JWKS (at the URL
 * the service catalog gives) on first need and again when a token names an unknown key id — a
 * restarted caller has a new key — at most every few seconds, so forged key ids cannot make this
 * service hammer its callers.
 */
export class CallerKeys implements OnApplicationShutdown {
  private readonly sets = new Map<ServiceName, KeySet>();
  private readonly clients = new Map<ServiceName, ServiceClient>();

  constructor(private readonly clientFor: (caller: ServiceName) => ServiceClient) {}

  async keyOf(caller: ServiceName, kid: unknown): Promise<KeyObject> {
    if (typeof kid !== 'string') throw new UnauthorizedException('the service token names no signing key');
    const set = this.setOf(caller);
    if (!set.keys.has(kid) && Date.now() - set.fetchedAt >= MIN_REFRESH_INTERVAL_MS) await this.refresh(caller, set);
    const key = set.keys.get(kid);
    if (!key) throw new UnauthorizedException(`the service token was not signed by a key of ${caller}`);
    return key;
  }

  private setOf(caller: ServiceName): KeySet {
    let set = this.sets.get(caller);
    if (!set) {
      set = { keys: new Map(), fetchedAt: 0 };
      this.sets.set(caller, set);
    }
    return set;
  }

  private refresh(caller: ServiceName, set: KeySet): Promise<void> {
    set.fetching ??= this.fetch(caller, set).finally(() => (set.fetching = undefined));
    return set.fetching;
  }

  private async fetch(caller: ServiceName, set: KeySet): Promise<void> {
    const { keys } = await this.clientOf(caller).json<{ keys: ServiceJwk[] }>({
      path: SERVICE_JWKS_PATH,
      whenUnavailable: `its signing keys are needed to verify the call`,
    });
    set.keys = new Map(
      keys
        .filter((jwk) => jwk.alg === SERVICE_TOKEN_ALGORITHM && typeof jwk.kid === 'string')
        .map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })]),
    );
    set.fetchedAt = Date.now();
  }

  private clientOf(caller: ServiceName): ServiceClient {
    let client = this.clients.get(caller);
    if (!client) {
      client = this.clientFor(caller);
      this.clients.set(caller, client);
    }
    return client;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.onApplicationShutdown()));
  }
}
