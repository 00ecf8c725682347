import { Injectable } from '@nestjs/common';
import { Reservation } from '@petstore/contracts';
import type { OrderVersion, PageQuery } from '@petstore/dto';
import { bigintAsNumber } from '@petstore/platform';
import { DataSource, EntityManager } from 'typeorm';
import { OrderRecord } from './order-record';
import { OrderState } from './order-state';

const ORDER_COLUMNS = `id, pet_id AS "petId", user_id AS "userId", quantity, ship_date AS "shipDate", state, version,
  rejection_reason AS "rejectionReason"`;

const BY_ID_SQL = `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1`;

/**
 * The order, locked, with the live (placed or approved) order holding its pet, if any: at most
 * one, by the unique index orders_one_live_order_per_pet. One statement where a reservation
 * needs both.
 */
const LOCK_WITH_PET_HOLDER_SQL = `
  SELECT ${ORDER_COLUMNS},
    (SELECT holder.id FROM orders holder
     WHERE holder.pet_id = orders.pet_id AND holder.state IN ('${OrderState.Placed}', '${OrderState.Approved}')
     LIMIT 1) AS "petHolderId"
  FROM orders WHERE id = $1 FOR UPDATE`;

const LIST_SQL = `
  SELECT ${ORDER_COLUMNS} FROM orders
  WHERE state = ANY($1) AND ($2::bigint IS NULL OR pet_id = $2) AND ($3::bigint IS NULL OR user_id = $3)
  ORDER BY id LIMIT $4 OFFSET $5`;

/** Held until the transaction ends, so one user's allocations count their orders one at a time. */
const LOCK_ORDERS_OF_USER_SQL = `SELECT pg_advisory_xact_lock(hashtext('orders-of-user'), hashtext($1::text))`;

/**
 * Allocates an id only while the user has fewer than $5 orders awaiting the store's decision
 * (counted up to $5, by orders_awaiting_decision_by_user): else no row, and no id is taken. An id
 * refused before it was allocated continues from the refusal's version (see recordRefusal).
 */
const ALLOCATE_SQL = `
  WITH allocated AS (
    SELECT nextval('order_id_seq') AS id
    WHERE (SELECT count(*) FROM (
      SELECT 1 FROM orders WHERE user_id = $2 AND state IN ('${OrderState.Requested}', '${OrderState.Placed}') LIMIT $5
    ) awaiting_decision) < $5
  )
  INSERT INTO orders (id, pet_id, user_id, quantity, ship_date, state, version)
  SELECT id, $1, $2, $3, $4, '${OrderState.Requested}',
         COALESCE((SELECT version FROM reservation_refusal WHERE order_id = allocated.id), 0)
  FROM allocated
  RETURNING ${ORDER_COLUMNS}`;

const ABANDON_SQL = `
  UPDATE orders SET state = '${OrderState.Rejected}', rejection_reason = $2, updated_at = now()
  WHERE id = $1 AND state = '${OrderState.Requested}'`;

/** created_at is stamped by the database's clock, so the deadline is measured on it too. */
const EXPIRED_SQL = `
  SELECT ${ORDER_COLUMNS} FROM orders
  WHERE state = '${OrderState.Requested}' AND created_at < now() - make_interval(secs => $1)
  ORDER BY id LIMIT $2
  FOR UPDATE SKIP LOCKED`;

/** By orders_awaiting_decision_by_user. */
const USERS_WITH_PLACED_ORDERS_SQL = `
  SELECT DISTINCT user_id AS "userId" FROM orders
  WHERE state = '${OrderState.Placed}' AND user_id > $1
  ORDER BY user_id LIMIT $2`;

const LOCK_PLACED_OF_USERS_SQL = `
  SELECT ${ORDER_COLUMNS} FROM orders
  WHERE user_id = ANY($1::bigint[]) AND state = '${OrderState.Placed}'
  ORDER BY id FOR UPDATE`;

const UPDATE_SQL = `
  UPDATE orders SET state = $2, version = $3, rejection_reason = $4, updated_at = now()
  WHERE id = $1`;

const RECORD_REFUSAL_SQL = `
  INSERT INTO reservation_refusal (order_id, version, reservation, reason)
  VALUES ($1, 1, $2, $3)
  ON CONFLICT (order_id) DO UPDATE
    SET version = reservation_refusal.version + 1, reservation = EXCLUDED.reservation,
        reason = EXCLUDED.reason, refused_at = now()
  RETURNING version`;

/** An order row as ORDER_COLUMNS selects it: bigint arrives as a string. */
type OrderRow = Omit<OrderRecord, 'id' | 'petId' | 'userId'> & { id: string; petId: string; userId: string };

function recordOf(row: OrderRow): OrderRecord {
  return {
    ...row,
    id: bigintAsNumber.from(row.id),
    petId: bigintAsNumber.from(row.petId),
    userId: bigintAsNumber.from(row.userId),
  };
}

/** What placeOrder asks for; the id, state and version are the repository's to set. */
export type NewOrder = Pick<OrderRecord, 'petId' | 'userId' | 'quantity' | 'shipDate'>;

/** Which orders a list shows: those in these states, for this pet and this user when given. */
export interface OrderFilter {
  states: OrderState[];
  petId?: number;
  userId?: number;
}

/**
 * order_db's orders, and the reservations refused for order ids it never allocated, in SQL.
 * Reads outside a transaction use the pool; everything else runs on the caller's transaction.
 */
@Injectable()
export class OrdersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: number, manager: EntityManager = this.dataSource.manager): Promise<OrderRecord | null> {
    return this.one(manager, BY_ID_SQL, [id]);
  }

  /** The order, locked until the caller's transaction ends: the read half of a read-check-write under lock. */
  async lockById(manager: EntityManager, id: number): Promise<OrderRecord | null> {
    return this.one(manager, `${BY_ID_SQL} FOR UPDATE`, [id]);
  }

  /** As lockById, with the id of the live (placed or approved) order that holds the order's pet, if any. */
  async lockWithPetHolder(manager: EntityManager, id: number): Promise<{ order: OrderRecord; petHolderId: number | null } | null> {
    const rows: (OrderRow & { petHolderId: string | null })[] = await manager.query(LOCK_WITH_PET_HOLDER_SQL, [id]);
    if (rows.length === 0) return null;
    const { petHolderId, ...order } = rows[0];
    return { order: recordOf(order), petHolderId: petHolderId === null ? null : bigintAsNumber.from(petHolderId) };
  }

  /** A page of the orders the filter admits, by ascending id. */
  async list(filter: OrderFilter, page: PageQuery): Promise<OrderRecord[]> {
    const rows: OrderRow[] = await this.dataSource.query(LIST_SQL, [
      filter.states,
      filter.petId ?? null,
      filter.userId ?? null,
      page.limit,
      page.offset,
    ]);
    return rows.map(recordOf);
  }

  /**
   * Every order that was placed, as it is now (cancelled ones with no status), with an id above
   * `afterId` and changed at least `settledSeconds` ago, by ascending id: requested and rejected
   * ones never reached anyone's read model.
   */
  async versionsAfter(afterId: number, limit: number, settledSeconds: number): Promise<OrderVersion[]> {
    const rows: (Omit<OrderVersion, 'id' | 'petId'> & { id: string; petId: string })[] = await this.dataSource.query(
      `SELECT id, pet_id AS "petId", NULLIF(state, 'cancelled') AS status, version, state = 'cancelled' AS cancelled
       FROM orders
       WHERE id > $1 AND state IN ('placed', 'approved', 'delivered', 'cancelled') AND updated_at <= now() - make_interval(secs => $3)
       ORDER BY id LIMIT $2`,
      [afterId, limit, settledSeconds],
    );
    return rows.map((row) => ({ ...row, id: bigintAsNumber.from(row.id), petId: bigintAsNumber.from(row.petId) }));
  }

  /**
   * Allocates the next order id for the order, as `requested`, in the caller's transaction, unless
   * its user already has `mostAwaitingDecision` orders requested or placed: then null, and nothing
   * is written. The user's allocations wait for each other until each transaction ends, so
   * concurrent ones cannot both take the last place.
   */
  async allocate(manager: EntityManager, order: NewOrder, mostAwaitingDecision: number): Promise<OrderRecord | null> {
    await manager.query(LOCK_ORDERS_OF_USER_SQL, [order.userId]);
    const rows: OrderRow[] = await manager.query(ALLOCATE_SQL, [order.petId, order.userId, order.quantity, order.shipDate, mostAwaitingDecision]);
    return rows.length > 0 ? recordOf(rows[0]) : null;
  }

  /** The orders with these ids, in any state. */
  async findByIds(ids: number[]): Promise<OrderRecord[]> {
    const rows: OrderRow[] = await this.dataSource.query(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ANY($1::bigint[])`, [ids]);
    return rows.map(recordOf);
  }

  /** Of these order ids, those whose order or refusal changed less than `seconds` ago. */
  async changedWithin(orderIds: number[], seconds: number): Promise<number[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM orders WHERE id = ANY($1::bigint[]) AND updated_at > now() - make_interval(secs => $2)
       UNION
       SELECT order_id FROM reservation_refusal WHERE order_id = ANY($1::bigint[]) AND refused_at > now() - make_interval(secs => $2)`,
      [orderIds, seconds],
    );
    return rows.map((row) => bigintAsNumber.from(row.id));
  }

  /** The last reservation refused for each of these order ids that this service never allocated. */
  async refusalsOf(orderIds: number[]): Promise<Reservation[]> {
    const rows: { reservation: Reservation }[] = await this.dataSource.query(
      `SELECT reservation FROM reservation_refusal WHERE order_id = ANY($1::bigint[])`,
      [orderIds],
    );
    return rows.map((row) => row.reservation);
  }

  /** Marks a still `requested` order rejected for the reason; false when it is no longer requested. */
  async abandon(id: number, reason: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(ABANDON_SQL, [id, reason]);
    return affected > 0;
  }

  /**
   * Up to `limit` orders still `requested` longer than `seconds` after their creation, locked until
   * the caller's transaction ends; rows another transaction holds are skipped, not waited for.
   */
  async lockExpired(manager: EntityManager, seconds: number, limit: number): Promise<OrderRecord[]> {
    const rows: OrderRow[] = await manager.query(EXPIRED_SQL, [seconds, limit]);
    return rows.map(recordOf);
  }

  /** The ids of users with placed orders, ascending, after `afterUserId`: a page at a time. */
  async usersWithPlacedOrdersAfter(afterUserId: number, limit: number): Promise<number[]> {
    const rows: { userId: string }[] = await this.dataSource.query(USERS_WITH_PLACED_ORDERS_SQL, [afterUserId, limit]);
    return rows.map((row) => bigintAsNumber.from(row.userId));
  }

  /** The placed orders of these users, locked until the transaction ends. */
  async lockPlacedOfUsers(manager: EntityManager, userIds: number[]): Promise<OrderRecord[]> {
    const rows: OrderRow[] = await manager.query(LOCK_PLACED_OF_USERS_SQL, [userIds]);
    return rows.map(recordOf);
  }

  /** Writes an order's state, version and rejection reason; the caller holds its row locked. */
  async update(manager: EntityManager, order: OrderRecord): Promise<void> {
    await manager.query(UPDATE_SQL, [order.id, order.state, order.version, order.rejectionReason]);
  }

  /**
   * Records, in the caller's transaction, a reservation refused for an order id this service
   * never allocated, and answers its version. Refusals are kept out of `orders` so they take no
   * order id; each refusal of the same id is one version further, and an order id allocated
   * later continues from there, so consumers never see an order's event as stale.
   */
  async recordRefusal(manager: EntityManager, reservation: Reservation, reason: string): Promise<number> {
    const [{ version }]: { version: number }[] = await manager.query(RECORD_REFUSAL_SQL, [reservation.orderId, reservation, reason]);
    return version;
  }

  private async one(manager: EntityManager, sql: string, parameters: unknown[]): Promise<OrderRecord | null> {
    const rows: OrderRow[] = await manager.query(sql, parameters);
    return rows.length > 0 ? recordOf(rows[0]) : null;
  }
}
