import { ConfigType, registerAs } from '@nestjs/config';
import Joi from 'joi';

export const ordersEnvironment = {
  /** How long placeOrder waits for PET_RESERVED to turn the request into a placed order. */
  ORDER_PLACEMENT_WAIT_MS: Joi.number().integer().min(100).max(60000).default(10000),
  /** The timeout of one reservation call to pet-service. */
  PET_RESERVATION_TIMEOUT_MS: Joi.number().integer().min(100).max(30000).default(3000),
  /** How many times a reservation that timed out is asked again (safe: idempotent by order id). */
  PET_RESERVATION_ATTEMPTS: Joi.number().integer().min(1).max(5).default(3),
};

export const ordersConfig = registerAs('orders', () => ({
  placementWaitMs: Number(process.env['ORDER_PLACEMENT_WAIT_MS']),
  reservationTimeoutMs: Number(process.env['PET_RESERVATION_TIMEOUT_MS']),
  reservationAttempts: Number(process.env['PET_RESERVATION_ATTEMPTS']),
}));

export type OrdersConfig = ConfigType<typeof ordersConfig>;
