import { TEST_IDENTITY_ENVIRONMENT } from './service-identity-keys';
import { stack } from './stack';

/** Credentials the suite seeds the store owner with; passed to the apps it starts. */
export const STORE_OWNER = { username: 'e2e-store-owner', password: 'e2e-store-owner-password' };

/**
 * What the suite adds to the apps' environment: the seeded store owner, a gateway that takes
 * X-Forwarded-For from the loopback proxy, so a spec can act as clients at other addresses, and
 * a placement deadline short enough for the fault suite to see an order expire, the signing
 * keys a spec needs to call services as the gateway or order-service does, one web origin
 * whose pages may call the API (CORS), and room for the thousands of requests the suites send
 * from one address, the hundreds of customers they sign up from it and the dozens of orders the
 * fault suites place per customer, and read-model checks that take a change as soon as it is
 * made, for the specs of expired events to check right after them, and a gateway whose /health
 * checks and whose /metrics scrapes on every ask, for the specs to see a fault or a count at once
 * (the specs of those limits, of that wait and of that reuse restart the app at its default:
 * withTheDefaultOf).
 */
export const SUITE_ENVIRONMENT = {
  STORE_OWNER_USERNAME: STORE_OWNER.username,
  STORE_OWNER_PASSWORD: STORE_OWNER.password,
  TRUST_PROXY: 'loopback',
  ORDER_PLACEMENT_DEADLINE_MS: '30000',
  CORS_ORIGINS: 'https://shop.example',
  MAX_PLACED_ORDERS_PER_USER: '1000',
  SIGN_UP_MAX_PER_CLIENT: '1000000',
  REQUESTS_MAX_PER_CLIENT: '1000000',
  READ_MODEL_CHECK_SETTLE_SECONDS: '0',
  HEALTH_CACHE_MS: '0',
  METRICS_CACHE_MS: '0',
  ...TEST_IDENTITY_ENVIRONMENT,
};

/** The suite's environment without one of its variables: an app restarted with it runs at that variable's default. */
export function withTheDefaultOf(variable: keyof typeof SUITE_ENVIRONMENT): Record<string, string> {
  return Object.fromEntries(Object.entries(SUITE_ENVIRONMENT).filter(([name]) => name !== variable));
}

export const GATEWAY_URL = stack.urlOf('api-gateway');

/** The suite's Kafka brokers: its own broker, unless KAFKA_BROKERS names a cluster. */
export const KAFKA_BROKERS = stack.environment()['KAFKA_BROKERS'] as string;

/** The environment the suite's apps run with: the test instance's, plus the suite's own. */
export function appEnvironment(): NodeJS.ProcessEnv {
  return stack.environment(SUITE_ENVIRONMENT);
}
