import { DataSource, EntityManager } from 'typeorm';
import { OrderState } from './order-state';
import { OrdersRepository } from './orders.repository';

const ROW = {
  id: '10',
  petId: '7',
  userId: '3',
  quantity: 1,
  shipDate: null,
  state: OrderState.Placed,
  version: 1,
  rejectionReason: null,
};

/** A repository on the pool, and a transaction's manager, whose statements answer `answer` as TypeORM's query() gives it. */
function setUp(answer: unknown) {
  const query = jest.fn().mockResolvedValue(answer);
  const orders = new OrdersRepository({ query, manager: { query } } as unknown as DataSource);
  return { orders, query, manager: { query } as unknown as EntityManager };
}

describe('OrdersRepository', () => {
  it('reads orders with their bigint ids as numbers, or null', async () => {
    const { orders, query } = setUp([ROW]);
    expect(await orders.findById(10)).toEqual({ ...ROW, id: 10, petId: 7, userId: 3 });
    query.mockResolvedValue([]);
    expect(await orders.findById(11)).toBeNull();
  });

  it('locks the order in the caller’s transaction', async () => {
    const { orders, query, manager } = setUp([ROW]);
    await orders.lockById(manager, 10);
    expect(query).toHaveBeenCalledWith(expect.stringMatching(/WHERE id = \$1 FOR UPDATE$/), [10]);
  });

  it('locks the order with the live order holding its pet in one statement, ids as numbers', async () => {
    const { orders, query, manager } = setUp([{ ...ROW, state: OrderState.Requested, petHolderId: '5' }]);
    expect(await orders.lockWithPetHolder(manager, 10)).toEqual({
      order: { ...ROW, state: OrderState.Requested, id: 10, petId: 7, userId: 3 },
      petHolderId: 5,
    });
    expect(query).toHaveBeenCalledTimes(1);
    expect(query).toHaveBeenCalledWith(expect.stringMatching(/WHERE id = \$1 FOR UPDATE$/), [10]);
    query.mockResolvedValue([{ ...ROW, petHolderId: null }]);
    expect(await orders.lockWithPetHolder(manager, 10)).toMatchObject({ order: { id: 10 }, petHolderId: null });
    query.mockResolvedValue([]);
    expect(await orders.lockWithPetHolder(manager, 11)).toBeNull();
  });

  it('takes the expired requests no other pass holds, oldest id first', async () => {
    const { orders, query, manager } = setUp([{ ...ROW, state: OrderState.Requested }]);
    expect(await orders.lockExpired(manager, 60, 100)).toMatchObject([{ id: 10, state: OrderState.Requested }]);
    expect(query).toHaveBeenCalledWith(expect.stringMatching(/ORDER BY id LIMIT \$2\s+FOR UPDATE SKIP LOCKED$/), [60, 100]);
  });

  it('lists by state, and by pet and user only when given', async () => {
    const { orders, query } = setUp([ROW]);
    expect(await orders.list({ states: [OrderState.Placed], userId: 3 }, { limit: 20, offset: 40 })).toMatchObject([{ id: 10 }]);
    expect(query).toHaveBeenCalledWith(expect.stringContaining('ORDER BY id LIMIT $4 OFFSET $5'), [[OrderState.Placed], null, 3, 20, 40]);
  });

  it("allocates under the user's lock, in one statement that writes nothing at the most orders awaiting decision", async () => {
    const { orders, query, manager } = setUp([]);
    const order = { petId: 7, userId: 3, quantity: 1, shipDate: null };
    query.mockResolvedValueOnce([]).mockResolvedValueOnce([{ ...ROW, state: OrderState.Requested }]);
    expect(await orders.allocate(manager, order, 2)).toMatchObject({ id: 10, userId: 3, state: OrderState.Requested });
    expect(query.mock.calls).toEqual([
      [expect.stringContaining('pg_advisory_xact_lock'), [3]],
      [expect.stringContaining('INSERT INTO orders'), [7, 3, 1, null, 2]],
    ]);

    query.mockResolvedValueOnce([]).mockResolvedValueOnce([]);
    expect(await orders.allocate(manager, order, 2)).toBeNull();
  });

  it('abandons only a request still requested, from the [rows, affected] an UPDATE answers', async () => {
    const { orders, query } = setUp([[], 1]);
    expect(await orders.abandon(10, 'pet-service did not answer')).toBe(true);
    expect(query).toHaveBeenCalledWith(expect.stringContaining(`WHERE id = $1 AND state = '${OrderState.Requested}'`), [
      10,
      'pet-service did not answer',
    ]);
    query.mockResolvedValue([[], 0]);
    expect(await orders.abandon(10, 'pet-service did not answer')).toBe(false);
  });
});
