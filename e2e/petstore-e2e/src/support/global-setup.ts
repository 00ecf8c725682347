import { appEnvironment } from './environment';
import { stack } from './stack';

export default async function globalSetup(): Promise<void> {
  (globalThis as { startedKafka?: boolean }).startedKafka = stack.startKafka();
  try {
    await stack.startApps(appEnvironment());
    await stack.waitHealthy(120000, appEnvironment());
  } catch (error) {
    await stack.stopApps();
    if ((globalThis as { startedKafka?: boolean }).startedKafka) stack.stopKafka();
    throw error;
  }
}
