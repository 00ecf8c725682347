export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  /** The service's Kafka client id and consumer group id, the same for both. */
  groupId: string;
  /** Whether this service publishes an outbox (producers) or only consumes. */
  relay: boolean;
}
