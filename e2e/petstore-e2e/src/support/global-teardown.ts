import { StartedServers, stack } from './stack';

export default async function globalTeardown(): Promise<void> {
  await stack.stopAll((globalThis as { started?: StartedServers }).started);
}
