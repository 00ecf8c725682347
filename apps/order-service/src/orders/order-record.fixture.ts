import { OrderRecord } from './order-record';
import { OrderState } from './order-state';

/** A stored order for unit tests: order 10 of user 3 for one of pet 7, just requested, unless told otherwise. */
export function orderRecord(values: Partial<OrderRecord> = {}): OrderRecord {
  return {
    id: 10,
    petId: 7,
    userId: 3,
    quantity: 1,
    shipDate: null,
    state: OrderState.Requested,
    version: 0,
    rejectionReason: null,
    ...values,
  };
}
