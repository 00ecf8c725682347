import { SUITE_ENVIRONMENT } from './environment';
import { StartedServers, stack } from './stack';

/** The suite's apps trace into the suite's own Zipkin, as a developer's do with `npm start -- --zipkin`. */
export default async function globalSetup(): Promise<void> {
  (globalThis as { started?: StartedServers }).started = await stack.startAll({ extraEnv: SUITE_ENVIRONMENT, zipkin: true });
}
