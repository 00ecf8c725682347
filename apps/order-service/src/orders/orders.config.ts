import { ConfigType } from '@nestjs/config';
import { configNamespace, variable } from '@petstore/platform';
import Joi from 'joi';

export const ordersConfig = configNamespace('orders', {
  /** How long placeOrder waits for PET_RESERVED to turn the request into a placed order. */
  placementWaitMs: variable('ORDER_PLACEMENT_WAIT_MS', Joi.number().integer().min(100).max(60000).default(10000)),
  /**
   * How long an order may stay `requested` before it is rejected and its pet's hold released:
   * well beyond the wait and the reservation's attempts, so only an order whose PET_RESERVED
   * was lost to a fault expires.
   */
  placementDeadlineMs: variable('ORDER_PLACEMENT_DEADLINE_MS', Joi.number().integer().min(5000).default(60000)),
  /**
   * How many orders one user may have awaiting the store's decision (placed, or being placed):
   * past it placeOrder answers 409 and reserves nothing, so one account cannot hold every pet.
   */
  maxPlacedOrdersPerUser: variable('MAX_PLACED_ORDERS_PER_USER', Joi.number().integer().min(1).max(1_000_000).default(10)),
  /** The timeout of one reservation call to pet-service. */
  reservationTimeoutMs: variable('PET_RESERVATION_TIMEOUT_MS', Joi.number().integer().min(100).max(30000).default(3000)),
  /** How many times a reservation that timed out is asked again (safe: idempotent by order id). */
  reservationAttempts: variable('PET_RESERVATION_ATTEMPTS', Joi.number().integer().min(1).max(5).default(3)),
});

export type OrdersConfig = ConfigType<typeof ordersConfig>;
