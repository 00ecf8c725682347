import type { ServiceName } from '@petstore/platform';

export const SERVICE: ServiceName = 'api-gateway';

/** Every service the gateway forwards to. */
export const DOWNSTREAM: ServiceName[] = ['user-service', 'pet-service', 'photo-service', 'order-service', 'inventory-service'];

export const API_PREFIX = 'api/v3';
