import { Injectable, NotFoundException } from '@nestjs/common';
import { EventEnvelope, ORDER_STATUSES, OrderEventType, PET_STATUSES, PetEventType } from '@petstore/contracts';
import type { InventoryCounts, InventoryPetView, OrderCounts, OrderVersion, PetVersion } from '@petstore/dto';
import { DataSource, EntityManager } from 'typeorm';

/** A newer version replaces an older one, never the reverse, even if the inbox let a stale event through. */
const UPSERT_PET_SQL = `
  INSERT INTO inventory_pet (pet_id, status, version, deleted)
  VALUES ($1, $2, $3, $4)
  ON CONFLICT (pet_id) DO UPDATE
    SET status = EXCLUDED.status, version = EXCLUDED.version, deleted = EXCLUDED.deleted, updated_at = now()
    WHERE inventory_pet.version < EXCLUDED.version`;

const UPSERT_ORDER_SQL = `
  INSERT INTO inventory_order (order_id, pet_id, status, version, cancelled)
  VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (order_id) DO UPDATE
    SET status = EXCLUDED.status, version = EXCLUDED.version, cancelled = EXCLUDED.cancelled, updated_at = now()
    WHERE inventory_order.version < EXCLUDED.version`;

/**
 * Pet-service's versions of a page of pets, applied where they are newer than the model's: a pet
 * the model lacks or holds at an older version takes pet-service's status, a deleted one its
 * deletion. Answers how many rows changed.
 */
const CATCH_UP_PETS_SQL = `
  WITH given AS (
    SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::int[], $4::boolean[]) AS given (pet_id, status, version, deleted)
  ), live AS (
    INSERT INTO inventory_pet (pet_id, status, version)
    SELECT pet_id, status, version FROM given WHERE NOT deleted
    ON CONFLICT (pet_id) DO UPDATE
      SET status = EXCLUDED.status, version = EXCLUDED.version, deleted = false, updated_at = now()
      WHERE inventory_pet.version < EXCLUDED.version
    RETURNING 1
  ), gone AS (
    UPDATE inventory_pet SET deleted = true, version = given.version, updated_at = now()
    FROM given
    WHERE given.deleted AND inventory_pet.pet_id = given.pet_id AND inventory_pet.version < given.version
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM live)::int + (SELECT count(*) FROM gone)::int AS changed`;

/** As CATCH_UP_PETS_SQL, for orders: a placed order the model lacks or holds at an older version, or a cancelled one. */
const CATCH_UP_ORDERS_SQL = `
  WITH given AS (
    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::varchar[], $4::int[], $5::boolean[]) AS given (order_id, pet_id, status, version, cancelled)
  ), live AS (
    INSERT INTO inventory_order (order_id, pet_id, status, version)
    SELECT order_id, pet_id, status, version FROM given WHERE NOT cancelled
    ON CONFLICT (order_id) DO UPDATE
      SET status = EXCLUDED.status, version = EXCLUDED.version, cancelled = false, updated_at = now()
      WHERE inventory_order.version < EXCLUDED.version
    RETURNING 1
  ), gone AS (
    UPDATE inventory_order SET cancelled = true, version = given.version, updated_at = now()
    FROM given
    WHERE given.cancelled AND inventory_order.order_id = given.order_id AND inventory_order.version < given.version
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM live)::int + (SELECT count(*) FROM gone)::int AS changed`;

const PET_SQL = `SELECT status, version FROM inventory_pet WHERE pet_id = $1 AND NOT deleted`;
const PET_COUNTS_SQL = `SELECT status, count(*)::int AS count FROM inventory_pet WHERE NOT deleted GROUP BY status`;
const ORDER_COUNTS_SQL = `SELECT status, count(*)::int AS count FROM inventory_order WHERE NOT cancelled GROUP BY status`;

type PetEvent = EventEnvelope<
  | PetEventType.PetCreated
  | PetEventType.PetUpdated
  | PetEventType.PetDeleted
  | PetEventType.PetReserved
  | PetEventType.PetReservationReleased
  | PetEventType.PetSold
>;

type OrderChangeEvent = EventEnvelope<
  OrderEventType.OrderPlaced | OrderEventType.OrderApproved | OrderEventType.OrderDelivered | OrderEventType.OrderCancelled
>;

/**
 * The inventory read model. Pet counts come only from pet-events, whose producer owns the pet's
 * status; order-events feed a separate tally of orders by status, so no status change is
 * counted twice.
 */
@Injectable()
export class InventoryService {
  constructor(private readonly dataSource: DataSource) {}

  /** Every pet event carries the full pet: its status (or its deletion) replaces what the model had. */
  async applyPetEvent(event: PetEvent, manager: EntityManager): Promise<void> {
    const pet = event.payload;
    await manager.query(UPSERT_PET_SQL, [pet.id, pet.status, event.aggregateVersion, event.type === PetEventType.PetDeleted]);
  }

  async applyOrderEvent(event: OrderChangeEvent, manager: EntityManager): Promise<void> {
    const order = event.payload;
    await manager.query(UPSERT_ORDER_SQL, [
      order.id,
      order.petId,
      order.status,
      event.aggregateVersion,
      event.type === OrderEventType.OrderCancelled,
    ]);
  }

  /**
   * Takes pet-service's versions of some pets where they are newer than what events brought: a
   * pet whose events expired, or were parked and never replayed, is then counted as it is. A pet
   * deleted before the model ever saw it stays absent. Answers how many pets changed.
   */
  async catchUpPets(pets: PetVersion[]): Promise<number> {
    return this.changedBy(CATCH_UP_PETS_SQL, [
      pets.map((pet) => pet.id),
      pets.map((pet) => pet.status),
      pets.map((pet) => pet.version),
      pets.map((pet) => pet.deleted),
    ]);
  }

  /** As catchUpPets, for the order counts: takes order-service's versions of some orders where they are newer. */
  async catchUpOrders(orders: OrderVersion[]): Promise<number> {
    return this.changedBy(CATCH_UP_ORDERS_SQL, [
      orders.map((order) => order.id),
      orders.map((order) => order.petId),
      orders.map((order) => order.status),
      orders.map((order) => order.version),
      orders.map((order) => order.cancelled),
    ]);
  }

  /** Petstore's getInventory: every status is present, zero included. */
  async petCounts(): Promise<InventoryCounts> {
    return countsOf(PET_STATUSES, await this.dataSource.query(PET_COUNTS_SQL)) as InventoryCounts;
  }

  async orderCounts(): Promise<OrderCounts> {
    return countsOf(ORDER_STATUSES, await this.dataSource.query(ORDER_COUNTS_SQL)) as OrderCounts;
  }

  async pet(petId: number): Promise<InventoryPetView> {
    const [pet]: Omit<InventoryPetView, 'petId'>[] = await this.dataSource.query(PET_SQL, [petId]);
    if (!pet) throw new NotFoundException(`pet ${petId} is not in the inventory`);
    return { petId, status: pet.status, version: pet.version };
  }

  private async changedBy(catchUpSql: string, columns: unknown[][]): Promise<number> {
    const [{ changed }]: { changed: number }[] = await this.dataSource.query(catchUpSql, columns);
    return changed;
  }
}

function countsOf(statuses: readonly string[], rows: { status: string; count: number }[]): Record<string, number> {
  const counts = Object.fromEntries(statuses.map((status) => [status, 0]));
  for (const row of rows) if (row.status in counts) counts[row.status] = row.count;
  return counts;
}
