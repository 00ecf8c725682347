import { plainToInstance } from 'class-transformer';
import { IsEnum, IsISO8601, IsInt, IsObject, IsString, IsUUID, Min, MinLength, validateSync, ValidationError } from 'class-validator';
import { OrderEventType, PetEventType, type EventType } from './event-types';
import { OrderRejectedPayload, OrderSnapshot, PetReservationPayload, PetSnapshot } from './payloads';

export const CURRENT_SCHEMA_VERSION = 1;

type PayloadClass = new () => object;

export const PAYLOAD_CLASS_BY_EVENT_TYPE: Record<EventType, PayloadClass> = {
  [PetEventType.PetCreated]: PetSnapshot,
  [PetEventType.PetUpdated]: PetSnapshot,
  [PetEventType.PetDeleted]: PetSnapshot,
  [PetEventType.PetReserved]: PetReservationPayload,
  [PetEventType.PetReservationReleased]: PetReservationPayload,
  [PetEventType.PetSold]: PetSnapshot,
  [OrderEventType.OrderPlaced]: OrderSnapshot,
  [OrderEventType.OrderApproved]: OrderSnapshot,
  [OrderEventType.OrderDelivered]: OrderSnapshot,
  [OrderEventType.OrderCancelled]: OrderSnapshot,
  [OrderEventType.OrderRejected]: OrderRejectedPayload,
};

export interface PayloadByEventType {
  [PetEventType.PetCreated]: PetSnapshot;
  [PetEventType.PetUpdated]: PetSnapshot;
  [PetEventType.PetDeleted]: PetSnapshot;
  [PetEventType.PetReserved]: PetReservationPayload;
  [PetEventType.PetReservationReleased]: PetReservationPayload;
  [PetEventType.PetSold]: PetSnapshot;
  [OrderEventType.OrderPlaced]: OrderSnapshot;
  [OrderEventType.OrderApproved]: OrderSnapshot;
  [OrderEventType.OrderDelivered]: OrderSnapshot;
  [OrderEventType.OrderCancelled]: OrderSnapshot;
  [OrderEventType.OrderRejected]: OrderRejectedPayload;
}

const EVENT_TYPES = [...Object.values(PetEventType), ...Object.values(OrderEventType)];

export class EventEnvelope<T extends EventType = EventType> {
  @IsUUID()
  eventId!: string;

  @IsEnum(EVENT_TYPES)
  type!: T;

  @IsInt()
  @Min(1)
  schemaVersion!: number;

  @IsISO8601()
  occurredAt!: string;

  @IsString()
  @MinLength(1)
  aggregateId!: string;

  @IsInt()
  @Min(1)
  aggregateVersion!: number;

  @IsString()
  @MinLength(1)
  correlationId!: string;

  @IsObject()
  payload!: PayloadByEventType[T];
}

export class InvalidEventError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid event: ${problems.join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

function describe(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const at = path ? `${path}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? `${path ? path + '.' : ''}${message}` : `${at}: ${message}`,
    );
    return [...own, ...describe(error.children ?? [], at)];
  });
}

/** Parses and validates an envelope and its payload; throws InvalidEventError naming every problem. */
export function parseEventEnvelope(raw: unknown): EventEnvelope {
  if (typeof raw !== 'object' || raw === null) {
    throw new InvalidEventError(['the message value is not a JSON object']);
  }
  const envelope = plainToInstance(EventEnvelope, raw);
  const problems = describe(validateSync(envelope));
  const payloadClass = PAYLOAD_CLASS_BY_EVENT_TYPE[envelope.type as EventType];
  if (payloadClass && typeof envelope.payload === 'object' && envelope.payload !== null) {
    const payload = plainToInstance(payloadClass, envelope.payload);
    problems.push(...describe(validateSync(payload), 'payload'));
    (envelope as { payload: object }).payload = payload;
  }
  if (problems.length > 0) {
    throw new InvalidEventError(problems);
  }
  return envelope;
}
