import { Injectable } from '@nestjs/common';
import { Reservation } from '@petstore/contracts';
import { EntityManager } from 'typeorm';

const RECORD_SQL = `
  INSERT INTO reservation_refusal (order_id, version, reservation, reason)
  VALUES ($1, 1, $2, $3)
  ON CONFLICT (order_id) DO UPDATE
    SET version = reservation_refusal.version + 1, reservation = EXCLUDED.reservation,
        reason = EXCLUDED.reason, refused_at = now()
  RETURNING version`;

/**
 * Reservations refused for an order id this service never allocated, kept out of `orders` so
 * they take no order id. Each refusal of the same id is one version further, and an order id
 * allocated later continues from there, so consumers never see an order's event as stale.
 */
@Injectable()
export class ReservationRefusals {
  /** Records the refusal in the caller's transaction and answers its version. */
  async record(manager: EntityManager, reservation: Reservation, reason: string): Promise<number> {
    const [{ version }]: { version: number }[] = await manager.query(RECORD_SQL, [reservation.orderId, reservation, reason]);
    return version;
  }
}
