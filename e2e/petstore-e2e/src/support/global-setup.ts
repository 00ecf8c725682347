import { SUITE_ENVIRONMENT } from './environment';
import { stack } from './stack';

export default async function globalSetup(): Promise<void> {
  (globalThis as { started?: { kafka: boolean } }).started = await stack.startAll({ extraEnv: SUITE_ENVIRONMENT });
}
