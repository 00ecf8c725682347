import { OrderEventType, OrderStatus } from '@petstore/contracts';
import {
  EVENT_OF_ACTION,
  IllegalTransitionError,
  isVisible,
  nextState,
  OrderAction,
  OrderState,
  ORDER_STATES,
  statesOf,
  visibleStatusOf,
} from './order-state';

describe('the order state machine', () => {
  const allowed: [OrderState, OrderAction, OrderState][] = [
    [OrderState.Requested, 'place', OrderState.Placed],
    [OrderState.Requested, 'reject', OrderState.Rejected],
    [OrderState.Placed, 'approve', OrderState.Approved],
    [OrderState.Placed, 'cancel', OrderState.Cancelled],
    [OrderState.Approved, 'deliver', OrderState.Delivered],
  ];

  it.each(allowed)('%s --%s--> %s', (from, action, to) => {
    expect(nextState(from, action)).toBe(to);
  });

  const actions: OrderAction[] = ['place', 'approve', 'deliver', 'cancel', 'reject'];
  const refused = ORDER_STATES.flatMap((state) =>
    actions
      .filter((action) => !allowed.some(([from, allowedAction]) => from === state && allowedAction === action))
      .map((action) => [state, action] as const),
  );

  it.each(refused)('refuses %s --%s-->', (state, action) => {
    expect(() => nextState(state, action)).toThrow(IllegalTransitionError);
  });

  it('explains a refused cancellation in words a client understands', () => {
    expect(() => nextState(OrderState.Approved, 'cancel')).toThrow('is approved; only placed orders can be cancelled');
    expect(() => nextState(OrderState.Delivered, 'cancel')).toThrow('is delivered; only placed orders can be cancelled');
    expect(() => nextState(OrderState.Placed, 'deliver')).toThrow('is placed; only approved orders can be delivered');
  });

  it('shows clients only the three Petstore statuses', () => {
    expect(ORDER_STATES.filter(isVisible)).toEqual([OrderState.Placed, OrderState.Approved, OrderState.Delivered]);
    expect(visibleStatusOf(OrderState.Approved)).toBe(OrderStatus.Approved);
    expect(visibleStatusOf(OrderState.Requested)).toBeUndefined();
    expect(visibleStatusOf(OrderState.Cancelled)).toBeUndefined();
    expect(statesOf([OrderStatus.Placed, OrderStatus.Delivered])).toEqual([OrderState.Placed, OrderState.Delivered]);
  });

  it('publishes one event per client-visible transition', () => {
    expect(EVENT_OF_ACTION).toEqual({
      place: OrderEventType.OrderPlaced,
      approve: OrderEventType.OrderApproved,
      deliver: OrderEventType.OrderDelivered,
      cancel: OrderEventType.OrderCancelled,
    });
  });
});
