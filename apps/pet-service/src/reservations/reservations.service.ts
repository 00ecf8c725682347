import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { PetEventType, PetStatus, Reservation } from '@petstore/contracts';
import { HoldOutcome, OrderHold, Pet } from '@petstore/dto';
import { EntityManager } from 'typeorm';
import { PetOutbox } from '../pets/pet-outbox';
import { PetRecord, petView } from '../pets/pet-record';
import { reservationRefusal } from '../pets/pet-rules';
import { PetsRepository } from '../pets/pets.repository';

/** A reservation refused for a pet that was just released is retried this often before answering. */
const MAX_RESERVE_ATTEMPTS = 3;

export interface ReservationOutcome {
  /** False when the pet was already reserved by this very order: a retry, nothing written. */
  created: boolean;
  pet: Pet;
}

/** The order lifecycle's hold on a pet: reserve for an order, release it, sell it. */
@Injectable()
export class ReservationsService {
  private readonly logger = new Logger(ReservationsService.name);

  constructor(
    private readonly pets: PetsRepository,
    private readonly outbox: PetOutbox,
  ) {}

  /**
   * available → pending in one conditional UPDATE with PET_RESERVED in the same transaction;
   * idempotent for the same order id.
   */
  async reserve(reservation: Reservation): Promise<ReservationOutcome> {
    const { petId, orderId } = reservation;
    for (let attempt = 1; attempt <= MAX_RESERVE_ATTEMPTS; attempt++) {
      const outcome = await this.pets.transaction(async (manager) => {
        const reserved = await this.pets.reserve(manager, petId, orderId);
        if (reserved) {
          await this.outbox.appendReservation(manager, PetEventType.PetReserved, reserved, reservation);
          return { created: true, pet: reserved };
        }
        const current = await this.pets.findById(petId, manager);
        if (!current) throw new NotFoundException(`pet ${petId} not found`);
        if (current.status === PetStatus.Available) return undefined;
        const refusal = reservationRefusal(current, orderId);
        if (refusal) throw new ConflictException(refusal);
        return { created: false, pet: current };
      });
      if (outcome) return { created: outcome.created, pet: petView(outcome.pet) };
    }
    throw new ConflictException(`pet ${petId} is changing concurrently; try again`);
  }

  /** ORDER_CANCELLED / ORDER_REJECTED: pending for that order → available, and true; otherwise nothing to do. */
  async release(manager: EntityManager, reservation: Reservation): Promise<boolean> {
    const { petId, orderId } = reservation;
    const released = await this.pets.release(manager, petId, orderId);
    if (!released) {
      this.logger.log(`pet ${petId} is not held by order ${orderId}: nothing to release`);
      return false;
    }
    await this.outbox.appendReservation(manager, PetEventType.PetReservationReleased, released, reservation);
    return true;
  }

  /** ORDER_APPROVED: pending for that order → sold, and true; otherwise nothing to do. */
  async sell(manager: EntityManager, petId: number, orderId: number): Promise<boolean> {
    const sold: PetRecord | undefined = await this.pets.markSold(manager, petId, orderId);
    if (!sold) {
      this.logger.log(`pet ${petId} is not held by order ${orderId}: nothing to sell`);
      return false;
    }
    await this.outbox.append(manager, PetEventType.PetSold, sold);
    return true;
  }

  /**
   * Brings a pending pet in line with its order as order-service has it now: released if the
   * order was cancelled or rejected, sold if it was approved; true when that changed the pet.
   */
  settle(hold: OrderHold): Promise<boolean> {
    switch (hold.outcome) {
      case HoldOutcome.Released:
        return this.pets.transaction((manager) => this.release(manager, hold.reservation));
      case HoldOutcome.Sold:
        return this.pets.transaction((manager) => this.sell(manager, hold.reservation.petId, hold.orderId));
      case HoldOutcome.Held:
        return Promise.resolve(false);
    }
  }
}
