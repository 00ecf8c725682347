import { buildEnvelope, OrderEventType, OrderStatus, PetEventType, PetStatus } from '@petstore/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { InventoryService } from './inventory.service';

/** A stand-in for the two read-model tables that applies the same version rule as the SQL. */
function fakeDatabase() {
  const pets = new Map<number, { status: string; version: number; deleted: boolean }>();
  const orders = new Map<number, { status: string; version: number; cancelled: boolean }>();
  const manager = {
    query: jest.fn(async (sql: string, params: unknown[]) => {
      if (sql.includes('INSERT INTO inventory_pet')) {
        const [id, status, version, deleted] = params as [number, string, number, boolean];
        if ((pets.get(id)?.version ?? 0) < version) pets.set(id, { status, version, deleted });
      } else {
        const [id, , status, version, cancelled] = params as [number, number, string, number, boolean];
        if ((orders.get(id)?.version ?? 0) < version) orders.set(id, { status, version, cancelled });
      }
      return [];
    }),
  } as unknown as EntityManager;
  const group = (rows: { status: string; hidden: boolean }[]) =>
    Object.entries(
      rows
        .filter((row) => !row.hidden)
        .reduce<Record<string, number>>((counts, row) => {
          counts[row.status] = (counts[row.status] ?? 0) + 1;
          return counts;
        }, {}),
    ).map(([status, count]) => ({ status, count }));
  const dataSource = {
    query: async (sql: string) =>
      sql.includes('inventory_pet')
        ? group([...pets.values()].map((pet) => ({ status: pet.status, hidden: pet.deleted })))
        : group([...orders.values()].map((order) => ({ status: order.status, hidden: order.cancelled }))),
  } as unknown as DataSource;
  return { service: new InventoryService(dataSource), manager };
}

function petEvent(type: PetEventType, id: number, status: PetStatus, version: number) {
  return buildEnvelope({
    type: type as PetEventType.PetUpdated,
    aggregateId: id,
    aggregateVersion: version,
    correlationId: 'c',
    payload: { id, name: 'Rex', status, tags: [], photoUrls: [] },
  });
}

function orderEvent(type: OrderEventType, id: number, status: OrderStatus, version: number) {
  return buildEnvelope({
    type: type as OrderEventType.OrderPlaced,
    aggregateId: id,
    aggregateVersion: version,
    correlationId: 'c',
    payload: { id, petId: 7, userId: 3, quantity: 1, status, complete: status === OrderStatus.Delivered },
  });
}

describe('InventoryService', () => {
  it('answers every pet status, zero included, before any event', async () => {
    const { service } = fakeDatabase();

    await expect(service.petCounts()).resolves.toEqual({ available: 0, pending: 0, sold: 0 });
    await expect(service.orderCounts()).resolves.toEqual({ placed: 0, approved: 0, delivered: 0 });
  });

  it('counts each pet once, in the status of its newest event', async () => {
    const { service, manager } = fakeDatabase();

    await service.applyPetEvent(petEvent(PetEventType.PetCreated, 1, PetStatus.Available, 1), manager);
    await service.applyPetEvent(petEvent(PetEventType.PetCreated, 2, PetStatus.Available, 1), manager);
    await service.applyPetEvent(petEvent(PetEventType.PetReserved, 1, PetStatus.Pending, 2), manager);
    await service.applyPetEvent(petEvent(PetEventType.PetSold, 1, PetStatus.Sold, 3), manager);
    await service.applyPetEvent(petEvent(PetEventType.PetUpdated, 1, PetStatus.Pending, 2), manager);

    await expect(service.petCounts()).resolves.toEqual({ available: 1, pending: 0, sold: 1 });
  });

  it('drops a deleted pet from the counts', async () => {
    const { service, manager } = fakeDatabase();

    await service.applyPetEvent(petEvent(PetEventType.PetCreated, 1, PetStatus.Available, 1), manager);
    await service.applyPetEvent(petEvent(PetEventType.PetDeleted, 1, PetStatus.Available, 2), manager);

    await expect(service.petCounts()).resolves.toEqual({ available: 0, pending: 0, sold: 0 });
    expect((manager.query as jest.Mock).mock.lastCall[1]).toEqual([1, PetStatus.Available, 2, true]);
  });

  it('tallies orders by status apart from pets, and forgets cancelled ones', async () => {
    const { service, manager } = fakeDatabase();

    await service.applyOrderEvent(orderEvent(OrderEventType.OrderPlaced, 10, OrderStatus.Placed, 1), manager);
    await service.applyOrderEvent(orderEvent(OrderEventType.OrderPlaced, 11, OrderStatus.Placed, 1), manager);
    await service.applyOrderEvent(orderEvent(OrderEventType.OrderApproved, 10, OrderStatus.Approved, 2), manager);
    await service.applyOrderEvent(orderEvent(OrderEventType.OrderCancelled, 11, OrderStatus.Placed, 2), manager);

    await expect(service.orderCounts()).resolves.toEqual({ placed: 0, approved: 1, delivered: 0 });
    await expect(service.petCounts()).resolves.toEqual({ available: 0, pending: 0, sold: 0 });
  });
});
