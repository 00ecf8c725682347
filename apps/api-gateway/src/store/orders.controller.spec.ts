import { HttpException } from '@nestjs/common';
import { Order, Role } from '@petstore/dto';
import { ServiceClient, ServiceRequest } from '@petstore/platform';
import type { FastifyReply } from 'fastify';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { OrdersController } from './orders.controller';

const customer = { id: 3, username: 'ann', roles: [Role.Customer] };
const order = Object.assign(new Order(), { petId: 7, quantity: 1 });

/** What order-service answers next, in the stand-in the real client below calls. */
let answer: { status: number; body: unknown } = { status: 200, body: {} };
const orderServiceStandIn = createServer((_request, response) => {
  response.writeHead(answer.status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(answer.body));
});
let orderService: ServiceClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => orderServiceStandIn.listen(0, '127.0.0.1', resolve));
  orderService = new ServiceClient('order-service', `http://127.0.0.1:${(orderServiceStandIn.address() as AddressInfo).port}`);
});

afterAll(async () => {
  await orderService.onApplicationShutdown();
  await new Promise((resolve) => orderServiceStandIn.close(resolve));
});

/** A real client whose callee answers with `status` and `body`; `sent` holds what the controller asked it. */
function setUp(status: number, body: unknown) {
  answer = { status, body };
  const sent: ServiceRequest[] = [];
  const call = orderService.call.bind(orderService);
  jest.spyOn(orderService, 'call').mockImplementation((request) => {
    sent.push(request);
    return call(request);
  });
  const headers: Record<string, string> = {};
  const response = {
    statusCode: 0,
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    header(name: string, value: string) {
      headers[name] = value;
      return this;
    },
  };
  return { controller: new OrdersController(orderService), sent, headers, response: response as unknown as FastifyReply };
}

describe("the gateway's placeOrder", () => {
  afterEach(() => jest.restoreAllMocks());

  it("forwards the order with the caller, its Idempotency-Key and a timeout longer than order-service's own wait", async () => {
    const placed = { id: 10, petId: 7, quantity: 1, status: 'placed', complete: false };
    const { controller, sent, response } = setUp(200, placed);

    await expect(controller.placeOrder(order, customer, 'k-1', response)).resolves.toEqual(placed);

    expect(response.statusCode).toBe(200);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/orders',
      json: order,
      headers: { 'idempotency-key': 'k-1' },
      onBehalfOf: customer,
    });
    expect(sent[0].timeoutMs).toBeGreaterThanOrEqual(20000);
  });

  it('answers 202 with a Location to fetch the order when it is not confirmed yet', async () => {
    const pending = { id: 10, petId: 7, quantity: 1, complete: false, message: 'being confirmed' };
    const { controller, headers, response } = setUp(202, pending);

    await expect(controller.placeOrder(order, customer, undefined, response)).resolves.toEqual(pending);

    expect(response.statusCode).toBe(202);
    expect(headers).toEqual({ Location: '/api/v3/store/order/10', 'Retry-After': '1' });
  });

  it("passes order-service's refusal through with its status and message", async () => {
    const { controller, response } = setUp(409, { statusCode: 409, error: 'Conflict', message: 'pet 7 is not available: it is pending' });

    const refusal = controller.placeOrder(order, customer, undefined, response);

    await expect(refusal).rejects.toBeInstanceOf(HttpException);
    await expect(refusal).rejects.toMatchObject({ status: 409, message: 'pet 7 is not available: it is pending' });
  });
});
