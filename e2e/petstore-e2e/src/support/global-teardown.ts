import { stack } from './stack';

export default async function globalTeardown(): Promise<void> {
  await stack.stopApps();
  if ((globalThis as { startedKafka?: boolean }).startedKafka) stack.stopKafka();
}
