import { OrderState } from './order-state';

/**
 * One order id's life, a row of order_db's `orders` as OrdersRepository reads it: allocated as
 * `requested` before the pet is reserved, `placed` when PET_RESERVED arrives, and so on.
 * `version` is the order aggregate's version: every event about this order id carries the next
 * one. created_at and updated_at are the database's bookkeeping, stamped by its clock.
 */
export interface OrderRecord {
  id: number;
  petId: number;
  userId: number;
  quantity: number;
  shipDate: Date | null;
  state: OrderState;
  version: number;
  rejectionReason: string | null;
}
