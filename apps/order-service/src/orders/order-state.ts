import { OrderEventType, OrderStatus } from '@petstore/contracts';
import { HoldOutcome } from '@petstore/dto';

/**
 * Every state an order row can be in. Clients see only Petstore's three (placed, approved,
 * delivered); the others are the saga's own bookkeeping and answer 404.
 */
export enum OrderState {
  /** The id is allocated and pet-service was asked to reserve the pet; PET_RESERVED has not arrived. */
  Requested = 'requested',
  Placed = 'placed',
  Approved = 'approved',
  Delivered = 'delivered',
  /** Cancelled (deleteOrder) while placed; the pet is released. */
  Cancelled = 'cancelled',
  /** Never became an order: the reservation was refused, or a PET_RESERVED for it could not be accepted. */
  Rejected = 'rejected',
}

export const ORDER_STATES: readonly OrderState[] = Object.values(OrderState);

export type OrderAction = 'place' | 'approve' | 'deliver' | 'cancel' | 'reject';

interface Transition {
  from: OrderState[];
  to: OrderState;
}

const TRANSITIONS: Record<OrderAction, Transition> = {
  place: { from: [OrderState.Requested], to: OrderState.Placed },
  approve: { from: [OrderState.Placed], to: OrderState.Approved },
  deliver: { from: [OrderState.Approved], to: OrderState.Delivered },
  cancel: { from: [OrderState.Placed], to: OrderState.Cancelled },
  reject: { from: [OrderState.Requested], to: OrderState.Rejected },
};

/** The events that record a change of a live order; ORDER_REJECTED records a reservation refused instead. */
export type OrderChangeEventType = Exclude<OrderEventType, OrderEventType.OrderRejected>;

/** The event each client-visible transition publishes on order-events. */
export const EVENT_OF_ACTION: Record<Exclude<OrderAction, 'reject'>, OrderChangeEventType> = {
  place: OrderEventType.OrderPlaced,
  approve: OrderEventType.OrderApproved,
  deliver: OrderEventType.OrderDelivered,
  cancel: OrderEventType.OrderCancelled,
};

const VISIBLE: Partial<Record<OrderState, OrderStatus>> = {
  [OrderState.Placed]: OrderStatus.Placed,
  [OrderState.Approved]: OrderStatus.Approved,
  [OrderState.Delivered]: OrderStatus.Delivered,
};

/** What an order in each state means for the pet it reserved. */
export const HOLD_OF_STATE: Record<OrderState, HoldOutcome> = {
  [OrderState.Requested]: HoldOutcome.Held,
  [OrderState.Placed]: HoldOutcome.Held,
  [OrderState.Approved]: HoldOutcome.Sold,
  [OrderState.Delivered]: HoldOutcome.Sold,
  [OrderState.Cancelled]: HoldOutcome.Released,
  [OrderState.Rejected]: HoldOutcome.Released,
};

/** Says why an action is refused, as the end of a sentence starting with "order <id>". */
export class IllegalTransitionError extends Error {
  constructor(
    readonly state: OrderState,
    readonly action: OrderAction,
  ) {
    super(`${describeState(state)}; only ${TRANSITIONS[action].from.join(' or ')} orders can be ${pastTense(action)}`);
    this.name = 'IllegalTransitionError';
  }
}

/** The state an action leads to, or IllegalTransitionError when the action is not allowed from `state`. */
export function nextState(state: OrderState, action: OrderAction): OrderState {
  const transition = TRANSITIONS[action];
  if (!transition.from.includes(state)) throw new IllegalTransitionError(state, action);
  return transition.to;
}

/** Petstore's status of an order in this state, or undefined for states clients never see. */
export function visibleStatusOf(state: OrderState): OrderStatus | undefined {
  return VISIBLE[state];
}

export function isVisible(state: OrderState): boolean {
  return visibleStatusOf(state) !== undefined;
}

/** The states a client filter on Petstore's statuses maps to. */
export function statesOf(statuses: readonly OrderStatus[]): OrderState[] {
  return (Object.entries(VISIBLE) as [OrderState, OrderStatus][]).filter(([, status]) => statuses.includes(status)).map(([state]) => state);
}

function describeState(state: OrderState): string {
  switch (state) {
    case OrderState.Requested:
      return 'is not placed yet';
    case OrderState.Cancelled:
      return 'is cancelled';
    case OrderState.Rejected:
      return 'was rejected';
    default:
      return `is ${state}`;
  }
}

function pastTense(action: OrderAction): string {
  return { place: 'placed', approve: 'approved', deliver: 'delivered', cancel: 'cancelled', reject: 'rejected' }[action];
}
