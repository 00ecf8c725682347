import type { ServiceName } from '@petstore/platform';

export const SERVICE: ServiceName = 'order-service';
