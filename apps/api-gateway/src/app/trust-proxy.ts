import proxyAddr from '@fastify/proxy-addr';
import { configNamespace, variable } from '@petstore/platform';
import Joi from 'joi';

/**
 * Which proxies' X-Forwarded-For the gateway believes when it takes a client's address (for the
 * login limits): none by default, since a client could otherwise name any address it likes.
 * Fastify's trustProxy values (Express's too): true, a hop count, or addresses and subnets
 * (`loopback`, `10.0.0.0/8`, comma-separated).
 */
export const trustProxyConfig = configNamespace('proxy', {
  trustProxy: variable(
    'TRUST_PROXY',
    Joi.string()
      .pattern(/^(false|true|\d+|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/, 'false, true, a hop count, or addresses and subnets')
      .default('false'),
  ),
});

export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export type TrustProxySetting = ReturnType<typeof trustProxySetting>;

/**
 * Whether a connection from `address` comes from a proxy the setting trusts, as Fastify decides
 * for the nearest hop: a hop count trusts whatever connects.
 */
export function trustsProxyAt(setting: TrustProxySetting): (address: string) => boolean {
  if (typeof setting === 'boolean') return () => setting;
  if (typeof setting === 'number') return () => setting > 0;
  const trusted = proxyAddr.compile(setting.split(',').map((entry) => entry.trim()));
  return (address) => trusted(address, 0);
}
