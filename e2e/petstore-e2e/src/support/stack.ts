import type { SASLOptions } from 'kafkajs';

// The plain-Node stack tool shared with `npm start`, as its "test" instance: the suite's own
// ports, broker, topics and databases, so it never touches the data of `npm start`.
type StackTool = {
  createStack(instance: 'test'): TestStack;
};

/** What a run started itself, and so stops. */
export interface StartedServers {
  kafka: boolean;
  zipkin: boolean;
}

export interface TestStack {
  logDir: string;
  portOf(app: string): number;
  urlOf(app: string): string;
  /** Where the app answers /health and /metrics: its own URL, unless it was started with a MANAGEMENT_PORT. */
  managementUrlOf(app: string): string;
  environment(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** A Kafka principal's login on the suite's broker (or the caller's, for a cluster of theirs); none without SASL. */
  kafkaSasl(principal: string): SASLOptions | undefined;
  /** An app's variables for the suite's broker's TLS listener; undefined with KAFKA_BROKERS naming a cluster of the caller's. */
  kafkaTlsEnvironment(): { KAFKA_BROKERS: string; KAFKA_TLS: 'true'; KAFKA_TLS_CA_FILE: string } | undefined;
  /** Starts or stops the suite's broker, or freezes (SIGSTOP) and thaws it: frozen, its connections stay open but unanswered. */
  kafka(command: 'start' | 'stop' | 'freeze' | 'thaw'): void;
  /** The suite's own Zipkin, which the apps send their spans to. */
  zipkinUrl: string;
  startAll(options?: { extraEnv?: NodeJS.ProcessEnv; zipkin?: boolean }): Promise<StartedServers>;
  stopAll(started?: StartedServers): Promise<void>;
  stopApp(app: string): Promise<void>;
  killApp(app: string): Promise<void>;
  startSecondInstance(app: string, extraEnv?: NodeJS.ProcessEnv): Promise<{ name: string; url: string }>;
  restartApp(app: string, extraEnv?: NodeJS.ProcessEnv): Promise<void>;
  freezeApp(app: string, frozen: boolean): void;
}

export const stack = (require('../../../../tools/stack/stack.js') as StackTool).createStack('test');
