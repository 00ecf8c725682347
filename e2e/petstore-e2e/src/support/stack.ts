// The plain-Node stack tool shared with `npm start`.
export const stack = require('../../../../tools/stack/stack.js') as {
  portOf(app: string): number;
  startKafka(): boolean;
  stopKafka(): void;
  startApps(env?: NodeJS.ProcessEnv): Promise<Record<string, number>>;
  stopApps(): Promise<void>;
  waitHealthy(timeoutMs?: number, env?: NodeJS.ProcessEnv): Promise<void>;
};
