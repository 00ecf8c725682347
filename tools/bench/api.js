// The few public-API calls the benchmark seeds with, made through the gateway as a client would.
const { randomUUID } = require('node:crypto');

/** Runs `work` for every item, at most `concurrency` at a time; answers the results in order. */
async function inParallel(items, concurrency, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

function createApi(gatewayUrl) {
  async function call(method, path, { token, json } = {}) {
    const headers = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${gatewayUrl}${path}`, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
    const text = await response.text();
    const body = (response.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
    return { status: response.status, body };
  }

  async function expectOk(what, method, path, options) {
    const response = await call(method, path, options);
    if (response.status !== 200) throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  function login(username, password) {
    return expectOk(`login of ${username}`, 'GET', `/api/v3/user/login?${new URLSearchParams({ username, password })}`);
  }

  async function signUpCustomer() {
    const username = `bench-${randomUUID().slice(0, 12)}`;
    const password = `pw-${randomUUID()}`;
    await expectOk(`sign-up of ${username}`, 'POST', '/api/v3/user', {
      json: { username, password, email: `${username}@example.com`, firstName: 'Bench', lastName: 'Customer' },
    });
    return login(username, password);
  }

  /** Creates the pets (the first alone, so concurrent writers find its category and tags existing); answers their ids. */
  async function createPets(token, count, pet) {
    const create = async () =>
      (await expectOk('creating a pet', 'POST', '/api/v3/pet', { token, json: { ...pet, name: `bench-${randomUUID().slice(0, 8)}` } })).id;
    if (count === 0) return [];
    const first = await create();
    const rest = await inParallel(Array.from({ length: count - 1 }), 16, create);
    return [first, ...rest];
  }

  /**
   * Makes the pets sold the only way a pet becomes sold: a customer orders it, the store owner
   * approves the order; then waits until pet-service has applied every approval.
   */
  async function sell(ownerToken, customerTokens, petIds) {
    await inParallel(petIds, 16, async (petId, index) => {
      const token = customerTokens[index % customerTokens.length];
      const order = await expectOk(`ordering pet ${petId}`, 'POST', '/api/v3/store/order', { token, json: { petId, quantity: 1 } });
      await expectOk(`approving order ${order.id}`, 'POST', `/api/v3/store/order/${order.id}/approve`, { token: ownerToken });
    });
    const deadline = Date.now() + 120000;
    while ((await expectOk('findByStatus', 'GET', '/api/v3/pet/findByStatus?status=sold&limit=1000')).length < petIds.length) {
      if (Date.now() > deadline) throw new Error(`the ${petIds.length} pets were not all sold within 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  return { call, login, signUpCustomer, createPets, sell };
}

module.exports = { createApi, inParallel };
