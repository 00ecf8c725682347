import { stack } from './stack';

/** Credentials the suite seeds the store owner with; passed to the apps it starts. */
export const STORE_OWNER = { username: 'e2e-store-owner', password: 'e2e-store-owner-password' };

export const KAFKA_BROKERS = process.env['KAFKA_BROKERS'] || '127.0.0.1:9092';

export const GATEWAY_URL = `http://127.0.0.1:${stack.portOf('api-gateway')}`;

/** The environment the suite starts the apps with: the caller's, plus the seeded store owner. */
export function appEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    STORE_OWNER_USERNAME: STORE_OWNER.username,
    STORE_OWNER_PASSWORD: STORE_OWNER.password,
  };
}
