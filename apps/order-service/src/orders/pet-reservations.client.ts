import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Pet } from '@petstore/dto';
import { InjectServiceClient, ServiceClient } from '@petstore/platform';
import { OrderRecord } from './order-record';
import { reservationOf } from './order-views';
import { ordersConfig, OrdersConfig } from './orders.config';

const RETRY_PAUSE_MS = 200;

/**
 * Asks pet-service to reserve a pet for an order. The call is idempotent by order id, so a call
 * that timed out (or found pet-service unreachable) is simply asked again.
 */
@Injectable()
export class PetReservationsClient {
  private readonly logger = new Logger(PetReservationsClient.name);

  constructor(
    @InjectServiceClient('pet-service') private readonly pets: ServiceClient,
    @Inject(ordersConfig.KEY) private readonly config: OrdersConfig,
  ) {}

  /**
   * Resolves with the reserved pet as pet-service shows it; rethrows pet-service's 404/409, or
   * 503 after the last attempt.
   */
  async reserve(order: OrderRecord): Promise<Pet> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.pets.json<Pet>({
          method: 'POST',
          path: '/reservations',
          json: reservationOf(order),
          timeoutMs: this.config.reservationTimeoutMs,
        });
      } catch (error) {
        if (!isUnavailable(error) || attempt >= this.config.reservationAttempts) throw error;
        this.logger.warn(`reserving pet ${order.petId} for order ${order.id} (attempt ${attempt}): ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
  }
}

export function isUnavailable(error: unknown): boolean {
  return error instanceof HttpException && error.getStatus() === HttpStatus.SERVICE_UNAVAILABLE;
}
