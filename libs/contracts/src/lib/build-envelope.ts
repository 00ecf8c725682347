import { randomUUID } from 'node:crypto';
import { CURRENT_SCHEMA_VERSION, EventEnvelope, PayloadByEventType } from './envelope';
import type { EventType } from './event-types';

export interface NewEvent<T extends EventType> {
  type: T;
  aggregateId: string | number;
  aggregateVersion: number;
  correlationId: string;
  payload: PayloadByEventType[T];
}

export function buildEnvelope<T extends EventType>(event: NewEvent<T>): EventEnvelope<T> {
  return {
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: CURRENT_SCHEMA_VERSION,
    occurredAt: new Date().toISOString(),
    aggregateId: String(event.aggregateId),
    aggregateVersion: event.aggregateVersion,
    correlationId: event.correlationId,
    payload: event.payload,
  };
}
