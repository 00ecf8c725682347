import { OrderRecord } from './order-record';
import { orderRecord } from './order-record.fixture';
import { OrderState } from './order-state';
import { PlacementWaiter } from './placement-waiter';

const placed = (order: OrderRecord | null): order is OrderRecord => order !== null && order.state !== OrderState.Requested;

function order(state: OrderState): OrderRecord {
  return orderRecord({ state, version: 1 });
}

describe('PlacementWaiter', () => {
  it('answers from the order the consumer signals, without reading it', async () => {
    const waiter = new PlacementWaiter();
    const read = jest.fn(async () => order(OrderState.Requested));
    const placement = waiter.expect(10);
    const waiting = placement.settle(5000, read, placed);
    await new Promise((resolve) => setImmediate(resolve));
    waiter.signal(order(OrderState.Placed));
    await expect(waiting).resolves.toMatchObject({ id: 10, state: OrderState.Placed });
    expect(read).not.toHaveBeenCalled();
  });

  it('keeps a signal that came before the wait began (a consumer faster than the reservation call)', async () => {
    const waiter = new PlacementWaiter();
    const read = jest.fn(async () => order(OrderState.Requested));
    const placement = waiter.expect(10);
    waiter.signal(order(OrderState.Placed));
    await expect(placement.settle(5000, read, placed)).resolves.toMatchObject({ state: OrderState.Placed });
    expect(read).not.toHaveBeenCalled();
  });

  it('reads each poll interval when the signal goes elsewhere (another instance consumed the event)', async () => {
    const waiter = new PlacementWaiter();
    const read = jest.fn(async () => order(OrderState.Placed));
    await expect(waiter.expect(10).settle(5000, read, placed)).resolves.toMatchObject({ state: OrderState.Placed });
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('gives up after the wait', async () => {
    const waiter = new PlacementWaiter();
    await expect(waiter.expect(10).settle(50, async () => order(OrderState.Requested), placed)).resolves.toBeUndefined();
  });
});
