import { stack } from './stack';

export default async function globalTeardown(): Promise<void> {
  await stack.stopAll((globalThis as { started?: { kafka: boolean } }).started);
}
