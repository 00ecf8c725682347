import { ConflictException, NotFoundException } from '@nestjs/common';
import { PetEventType, PetStatus } from '@petstore/contracts';
import { HoldOutcome } from '@petstore/dto';
import { EntityManager } from 'typeorm';
import { PetOutbox } from '../pets/pet-outbox';
import { PetRecord } from '../pets/pet-record';
import { PetsRepository } from '../pets/pets.repository';
import { ReservationsService } from './reservations.service';

const manager = {} as EntityManager;

function record(overrides: Partial<PetRecord> = {}): PetRecord {
  return {
    id: 12,
    name: 'doggie',
    status: PetStatus.Available,
    version: 1,
    category: null,
    tags: [],
    photoUrls: [],
    reservedByOrderId: null,
    ...overrides,
  };
}

function setUp() {
  const pets = {
    transaction: jest.fn((work: (m: EntityManager) => Promise<unknown>) => work(manager)),
    reserve: jest.fn(),
    release: jest.fn(),
    markSold: jest.fn(),
    findById: jest.fn(),
  };
  const outbox = { append: jest.fn(), appendReservation: jest.fn() };
  const service = new ReservationsService(pets as unknown as PetsRepository, outbox as unknown as PetOutbox);
  return { service, pets, outbox };
}

const reservation = { orderId: 345, petId: 12, userId: 2, quantity: 1 };

describe('ReservationsService', () => {
  it('reserves an available pet with PET_RESERVED in the same transaction', async () => {
    const { service, pets, outbox } = setUp();
    const reserved = record({ status: PetStatus.Pending, reservedByOrderId: 345, version: 2 });
    pets.reserve.mockResolvedValue(reserved);

    const outcome = await service.reserve(reservation);

    expect(pets.reserve).toHaveBeenCalledWith(manager, 12, 345);
    expect(outbox.appendReservation).toHaveBeenCalledWith(manager, PetEventType.PetReserved, reserved, reservation);
    expect(outcome).toEqual({ created: true, pet: { id: 12, name: 'doggie', photoUrls: [], tags: [], status: PetStatus.Pending } });
  });

  it('answers a retry by the holding order without writing anything', async () => {
    const { service, pets, outbox } = setUp();
    pets.reserve.mockResolvedValue(undefined);
    pets.findById.mockResolvedValue(record({ status: PetStatus.Pending, reservedByOrderId: 345, version: 2 }));
    const outcome = await service.reserve(reservation);
    expect(outcome.created).toBe(false);
    expect(outbox.appendReservation).not.toHaveBeenCalled();
    expect(outbox.append).not.toHaveBeenCalled();
  });

  it('refuses a pet held by another order with 409 naming it, and an unknown pet with 404', async () => {
    const { service, pets } = setUp();
    pets.reserve.mockResolvedValue(undefined);
    pets.findById.mockResolvedValueOnce(record({ status: PetStatus.Pending, reservedByOrderId: 99 }));
    await expect(service.reserve(reservation)).rejects.toThrow(
      new ConflictException('pet 12 is not available: it is pending (reserved by order 99)'),
    );
    pets.findById.mockResolvedValueOnce(undefined);
    await expect(service.reserve(reservation)).rejects.toThrow(new NotFoundException('pet 12 not found'));
  });

  it('releases a pet held by the order with PET_RESERVATION_RELEASED, and does nothing otherwise', async () => {
    const { service, pets, outbox } = setUp();
    const released = record({ version: 3 });
    pets.release.mockResolvedValueOnce(released).mockResolvedValueOnce(undefined);

    await service.release(manager, reservation);
    expect(outbox.appendReservation).toHaveBeenCalledWith(manager, PetEventType.PetReservationReleased, released, reservation);

    await service.release(manager, reservation);
    expect(outbox.appendReservation).toHaveBeenCalledTimes(1);
  });

  it('sells a pet held by the order with PET_SOLD, and does nothing otherwise', async () => {
    const { service, pets, outbox } = setUp();
    const sold = record({ status: PetStatus.Sold, reservedByOrderId: 345, version: 3 });
    pets.markSold.mockResolvedValueOnce(sold).mockResolvedValueOnce(undefined);

    await service.sell(manager, 12, 345);
    expect(outbox.append).toHaveBeenCalledWith(manager, PetEventType.PetSold, sold);

    await service.sell(manager, 12, 345);
    expect(outbox.append).toHaveBeenCalledTimes(1);
  });

  describe('settling a pending pet with its order as order-service has it now', () => {
    it('releases the pet of a cancelled or rejected order in a transaction of its own, with PET_RESERVATION_RELEASED', async () => {
      const { service, pets, outbox } = setUp();
      const released = record({ version: 3 });
      pets.release.mockResolvedValue(released);

      expect(await service.settle({ orderId: 345, outcome: HoldOutcome.Released, reservation })).toBe(true);
      expect(pets.transaction).toHaveBeenCalledTimes(1);
      expect(pets.release).toHaveBeenCalledWith(manager, 12, 345);
      expect(outbox.appendReservation).toHaveBeenCalledWith(manager, PetEventType.PetReservationReleased, released, reservation);
    });

    it('sells the pet of an approved order, with PET_SOLD', async () => {
      const { service, pets, outbox } = setUp();
      const sold = record({ status: PetStatus.Sold, reservedByOrderId: 345, version: 3 });
      pets.markSold.mockResolvedValue(sold);

      expect(await service.settle({ orderId: 345, outcome: HoldOutcome.Sold, reservation })).toBe(true);
      expect(pets.markSold).toHaveBeenCalledWith(manager, 12, 345);
      expect(outbox.append).toHaveBeenCalledWith(manager, PetEventType.PetSold, sold);
    });

    it('changes nothing for an order still holding its pet, or a pet its event already moved on', async () => {
      const { service, pets, outbox } = setUp();
      pets.release.mockResolvedValue(undefined);

      expect(await service.settle({ orderId: 345, outcome: HoldOutcome.Held, reservation })).toBe(false);
      expect(await service.settle({ orderId: 345, outcome: HoldOutcome.Released, reservation })).toBe(false);
      expect(pets.markSold).not.toHaveBeenCalled();
      expect(outbox.appendReservation).not.toHaveBeenCalled();
    });
  });
});
