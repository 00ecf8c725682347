import { ErrorResponse } from '@petstore/dto';
import { api } from '../support/api';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { stack } from '../support/stack';
import { signUpCustomer, TestUser } from '../support/users';
import { createPet, OrderBody, orderPet } from '../store/store-fixtures';
import { healthOf } from './support/faults';

/**
 * user-service, which checks every token the gateway verified, away or hung: a request that
 * needs a login is 503 naming it, never 401 (a client told its token is bad would drop a good
 * one and ask its user to log in again), and the same token works again once it is back.
 * Requests that need no login do not depend on it.
 */
describe('user-service away or hung', () => {
  let customer: TestUser;
  let order: OrderBody;

  const readOrder = (token: string) => api<OrderBody | ErrorResponse>('GET', `/api/v3/store/order/${order.id}`, { token });

  beforeAll(async () => {
    customer = await signUpCustomer('user-service-outage');
    order = await orderPet(customer.token, (await createPet('user-service-outage')).id);
  });

  afterEach(async () => {
    stack.freezeApp('user-service', false);
    if ((await fetch(`${stack.urlOf('user-service')}/health`).catch(() => undefined))?.status !== 200) {
      await stack.restartApp('user-service', SUITE_ENVIRONMENT);
    }
  });

  it('stopped: a request with a valid token is 503 naming user-service, a login too, a public read is served; the token works again once it is back', async () => {
    await stack.stopApp('user-service');

    expect(await readOrder(customer.token)).toMatchObject({ status: 503, body: { message: 'user-service is unreachable; try again later' } });
    const query = new URLSearchParams({ username: customer.username, password: customer.password });
    expect(await api('GET', `/api/v3/user/login?${query}`)).toMatchObject({
      status: 503,
      body: { message: expect.stringContaining('user-service') },
    });
    expect(await api('GET', `/api/v3/pet/${order.petId}`)).toMatchObject({ status: 200, body: { id: order.petId } });

    await stack.restartApp('user-service', SUITE_ENVIRONMENT);
    expect(await readOrder(customer.token)).toMatchObject({ status: 200, body: { id: order.id } });
  });

  it("frozen (SIGSTOP): a request with a valid token is 503 saying user-service did not answer, not 401, and the gateway's /health says it gives no answer", async () => {
    stack.freezeApp('user-service', true);

    expect(await healthOf('api-gateway')).toMatchObject({
      status: 503,
      body: { details: { services: { 'user-service': expect.stringMatching(/^no answer within \d+ ms$/), 'pet-service': 'up' } } },
    });

    expect(await readOrder(customer.token)).toMatchObject({
      status: 503,
      body: { message: expect.stringMatching(/^user-service did not answer within \d+ ms/) },
    });
  });
});
