import { Injectable } from '@nestjs/common';
import { PetEventType, Reservation, Topics } from '@petstore/contracts';
import { OutboxService } from '@petstore/messaging';
import { EntityManager } from 'typeorm';
import { PetRecord, snapshotOf } from './pet-record';

type SnapshotEvent = PetEventType.PetCreated | PetEventType.PetUpdated | PetEventType.PetDeleted | PetEventType.PetSold;
type ReservationEvent = PetEventType.PetReserved | PetEventType.PetReservationReleased;

/** Writes pet-events into the outbox, in the transaction of the change, keyed by the pet id. */
@Injectable()
export class PetOutbox {
  constructor(private readonly outbox: OutboxService) {}

  /** `version` is the pet's version after the change; a deletion is one change past the last record. */
  async append(manager: EntityManager, type: SnapshotEvent, record: PetRecord, options: { version?: number } = {}): Promise<void> {
    await this.outbox.append(manager, {
      topic: Topics.PetEvents,
      key: record.id,
      type,
      aggregateId: record.id,
      aggregateVersion: options.version ?? record.version,
      payload: snapshotOf(record),
    });
  }

  async appendReservation(manager: EntityManager, type: ReservationEvent, record: PetRecord, reservation: Reservation): Promise<void> {
    await this.outbox.append(manager, {
      topic: Topics.PetEvents,
      key: record.id,
      type,
      aggregateId: record.id,
      aggregateVersion: record.version,
      payload: { ...snapshotOf(record), reservation: { ...reservation, shipDate: reservation.shipDate ?? null } },
    });
  }
}
