// What the benchmark measures, one round at a time: the read path, findByStatus, placeOrder at
// saturation and at a fixed rate with its event lag, the race for one pet, restarts.
const { inParallel } = require('./api');
const { drive, paced, pooled } = require('./load');
const { percentile } = require('./stats');

/** Above this share of failed requests a read figure measures errors, not the read path: the run is broken. */
const MAX_READ_FAILURES = 0.01;
/** How long an order's pet may take to show up pending in inventory-service before it counts as lost. */
const LAG_TIMEOUT_MS = 10000;
/**
 * placeOrder's saturation rate the pool of available pets is sized for at least: before it is
 * measured, and after a warm-up on cold apps that measured far less (the thirtieth session's
 * first round then ran out of pets and sent 260 orders without one).
 */
const LEAST_ORDER_RATE_EXPECTED = 150;
/** How many of the last pets a top-up created must show in inventory-service before a figure starts. */
const CAUGHT_UP_SAMPLE = 20;
/** How long the bench waits for inventory-service to catch up before it goes on regardless. */
const CATCH_UP_TIMEOUT_MS = 60000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function signUpCustomers(api, count) {
  return inParallel(Array.from({ length: count }), 4, () => api.signUpCustomer());
}

/** GET requests cycling through the ids: `path(id)`, with the headers `headers()` gives for each. */
function cyclingGet(ids, pathOf, headers = () => ({})) {
  let next = 0;
  return {
    method: 'GET',
    setupRequest: (request) => ({ ...request, path: pathOf(ids[next++ % ids.length]), headers: headers() }),
  };
}

/** Every sold pet in one page (the largest a page may be), so findByStatus measures the same work as before paging. */
const ALL_SOLD = 'status=sold&limit=1000';

function readTargets(targets, soldPets, identity) {
  // Straight to pet-service, as the gateway calls it.
  const asGateway = () => ({ authorization: identity.authorization('pet-service') });
  return {
    baseline: { url: targets.baseline, request: cyclingGet(soldPets, (id) => `/pets/${id}`) },
    direct: { url: targets.direct, request: cyclingGet(soldPets, (id) => `/pets/${id}`, asGateway) },
    gateway: { url: targets.gateway, request: cyclingGet(soldPets, (id) => `/api/v3/pet/${id}`) },
    findByStatusDirect: { url: targets.direct, request: cyclingGet([ALL_SOLD], (query) => `/pets/by-status?${query}`, asGateway) },
    findByStatusGateway: { url: targets.gateway, request: { method: 'GET', path: `/api/v3/pet/findByStatus?${ALL_SOLD}` } },
  };
}

async function readLoad(name, target, connections, seconds) {
  const result = await drive({ url: target.url, connections, seconds, request: target.request });
  if (result.ok === 0 || result.failed > MAX_READ_FAILURES * result.ok) {
    throw new Error(`${name}: ${result.failed} of ${result.ok + result.failed} requests failed`);
  }
  return result;
}

/**
 * The single-pet reads, and the processes each passes through: their CPU time per read is a
 * figure. They run in alternating slices of a round, so a burst of other work on the machine
 * falls on all three alike and the ratios between them stay fair.
 */
const SINGLE_PET_READS = {
  baseline: ['baseline', 'pet-service-db'],
  direct: ['pet-service', 'pet-service-db'],
  gateway: ['api-gateway', 'pet-service', 'pet-service-db'],
};

/** µs of CPU per answer of each process in `processes` and of the whole machine, from a cpu meter's ms. */
function cpuPerAnswer(usedMs, processes, answers) {
  return Object.fromEntries([...processes, 'machine'].map((key) => [key, (usedMs[key] * 1000) / answers]));
}

/** Two cpu meter readings added up, key by key. */
function addedUp(first = {}, second) {
  return Object.fromEntries(Object.entries(second).map(([key, ms]) => [key, (first[key] ?? 0) + ms]));
}

/**
 * One round of the read figures: baseline, pet-service direct and gateway in `settings.readSlices`
 * alternating slices (their answers pooled), then findByStatus directly and through the gateway.
 */
async function readRound({ settings, targets, soldPets, figures, identity, cpu }) {
  const reads = readTargets(targets, soldPets, identity);
  const slices = {};
  const cpuUsed = {};
  for (let slice = 0; slice < settings.readSlices; slice++) {
    for (const name of Object.keys(SINGLE_PET_READS)) {
      const before = cpu.sample();
      (slices[name] ??= []).push(await readLoad(name, reads[name], settings.readConnections, settings.roundSeconds / settings.readSlices));
      cpuUsed[name] = addedUp(cpuUsed[name], cpu.usedSince(before));
    }
  }
  const results = {};
  const addRead = (name, result) => {
    results[name] = result;
    figures.addAll(`read.${name}`, { rps: result.rps, p50: result.p50, p99: result.p99 });
  };
  for (const [name, processes] of Object.entries(SINGLE_PET_READS)) {
    addRead(name, pooled(slices[name]));
    figures.addAll(`cpu.read.${name}`, cpuPerAnswer(cpuUsed[name], processes, results[name].ok));
  }
  for (const name of Object.keys(reads).filter((read) => !(read in SINGLE_PET_READS))) {
    addRead(name, await readLoad(name, reads[name], settings.readConnections, settings.roundSeconds));
  }
  figures.add('read.direct.throughputRatio', results.direct.rps / results.baseline.rps);
  figures.add('read.gateway.throughputRatio', results.gateway.rps / results.baseline.rps);
  figures.add('read.gateway.p50Ratio', results.gateway.p50 / results.direct.p50);
}

/** placeOrder's figures; keeps a pool of available pets, as each order takes one pet for good. */
function createOrderBench({ api, ownerToken, customers, settings, targets, log, ordersPlacedBefore, identity, storeOwner, cpu }) {
  // inventory-service is read directly, as the gateway reads it for a store owner.
  const asStoreOwner = () => ({ authorization: identity.authorization('inventory-service', { id: 1, username: storeOwner, roles: ['storeOwner'] }) });
  const pool = [];
  let fastestRate;
  const expectedRate = () => Math.max(fastestRate ?? 0, LEAST_ORDER_RATE_EXPECTED);
  let ordersAccepted = ordersPlacedBefore;
  let nextCustomer = 0;

  const customerToken = () => customers[nextCustomer++ % customers.length];

  async function topUp(count) {
    const missing = count - pool.length;
    if (missing <= 0) return;
    log(`creating ${missing} available pets to order`);
    const created = await api.createPets(ownerToken, missing, { status: 'available', photoUrls: [] });
    pool.push(...created);
    await untilInInventory(created.slice(-CAUGHT_UP_SAMPLE));
  }

  /**
   * Waits until inventory-service shows the pets: the consumers have worked off the PET_CREATED
   * events of a top-up (thousands at once) before a figure starts, so its event lag is the
   * orders', not the seeding's. The last pets created stand for all: they spread over every
   * partition, each of which applies its events in order.
   */
  async function untilInInventory(petIds) {
    let shown = 0;
    await untilCaughtUp(
      async () => {
        for (; shown < petIds.length; shown++) {
          const response = await fetch(`${targets.inventory}/inventory/pets/${petIds[shown]}`, { headers: asStoreOwner() });
          await response.arrayBuffer();
          if (!response.ok) return false;
        }
        return true;
      },
      () => `inventory-service does not show pet ${petIds[shown]}`,
    );
  }

  /**
   * Asks `caughtUp` every 100 ms until it answers true; after a minute says how far behind
   * (`behind()`) and goes on, so a figure shows the backlog instead of the bench hanging.
   */
  async function untilCaughtUp(caughtUp, behind) {
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    while (!(await caughtUp())) {
      if (Date.now() > deadline) {
        log(`${behind()} after ${CATCH_UP_TIMEOUT_MS / 1000} s; going on`);
        return;
      }
      await sleep(100);
    }
  }

  /** The next order: the next pooled pet, the next customer. */
  function nextOrder() {
    return {
      method: 'POST',
      path: '/api/v3/store/order',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${customerToken()}` },
      body: JSON.stringify({ petId: pool.shift(), quantity: 1 }),
    };
  }

  function countStatus(statuses, status) {
    statuses[status] = (statuses[status] ?? 0) + 1;
  }

  function accepted(statuses) {
    return (statuses[200] ?? 0) + (statuses[202] ?? 0);
  }

  /** Waits until inventory-service counts every order accepted so far: no backlog carries into the next figure. */
  async function settle() {
    let counted = 0;
    await untilCaughtUp(
      async () => {
        const counts = await (await fetch(`${targets.inventory}/inventory/orders`, { headers: asStoreOwner() })).json();
        counted = Object.values(counts).reduce((sum, count) => sum + count, 0);
        return counted >= ordersAccepted;
      },
      () => `inventory-service counts ${counted} of ${ordersAccepted} orders`,
    );
  }

  /**
   * Enough available pets for `seconds` at saturation. The margin is wide because the rate so far
   * may come from the warm-up alone, which runs before the apps are warm (hence also
   * LEAST_ORDER_RATE_EXPECTED): a round that runs out of pets stops early and sends its last
   * orders without a pet (400s).
   */
  function stock(seconds) {
    return topUp(Math.ceil(2 * expectedRate() * seconds) + settings.orderConnections);
  }

  /** Also the CPU each process used per order placed, until the consumers caught up with the orders. */
  async function saturation(seconds) {
    await stock(seconds);
    const statuses = {};
    const cpuBefore = cpu.sample();
    const result = await drive({
      url: targets.gateway,
      connections: settings.orderConnections,
      seconds,
      request: {
        setupRequest: (request) => ({ ...request, ...nextOrder() }),
        onResponse: (status) => countStatus(statuses, status),
      },
      stopWhen: () => pool.length === 0,
    });
    ordersAccepted += accepted(statuses);
    log(`placeOrder at saturation answered ${JSON.stringify(statuses)}`);
    const placedPerSecond = (statuses[200] ?? 0) / result.seconds;
    fastestRate = Math.max(fastestRate ?? 0, placedPerSecond);
    await settle();
    const used = cpu.usedSince(cpuBefore);
    const placed = statuses[200] ?? 0;
    // The baseline server has no part in an order.
    const cpuPerOrder = Object.fromEntries(
      Object.entries(used)
        .filter(([key]) => key !== 'baseline')
        .map(([key, ms]) => [key, ms / placed]),
    );
    return { result, statuses, placedPerSecond, cpuPerOrder };
  }

  /** Polls inventory-service for the pet until it shows pending; answers ms since the order's answer. */
  async function lagOf(petId, answeredAt) {
    for (;;) {
      const response = await fetch(`${targets.inventory}/inventory/pets/${petId}`, { headers: asStoreOwner() });
      const seenAt = performance.now();
      if (response.ok && (await response.json()).status === 'pending') return seenAt - answeredAt;
      else if (!response.bodyUsed) await response.arrayBuffer();
      if (seenAt - answeredAt > LAG_TIMEOUT_MS) return undefined;
      await sleep(settings.lagPollMs);
    }
  }

  async function fixedRate(seconds) {
    const rate = settings.fixedOrderRate;
    const count = Math.round(rate * seconds);
    await topUp(count);
    const statuses = {};
    const lags = [];
    let placed = 0;
    const result = await paced({
      url: targets.gateway,
      rate,
      count,
      next: nextOrder,
      onResponse: (status, body) => {
        countStatus(statuses, status);
        if (status === 200 && placed++ % settings.lagSampleEvery === 0) lags.push(lagOf(JSON.parse(body).petId, performance.now()));
      },
    });
    ordersAccepted += accepted(statuses);
    log(`placeOrder at ${rate}/s answered ${JSON.stringify(statuses)}${result.failed ? `, ${result.failed} failed` : ''}`);
    const measured = await Promise.all(lags);
    await settle();
    return { result, statuses, count, lags: measured.filter((lag) => lag !== undefined), lost: measured.filter((lag) => lag === undefined).length };
  }

  /** `raceClients` customers order one pet at once: how long until all are answered, and how many won. */
  async function race() {
    const [petId] = await api.createPets(ownerToken, 1, { status: 'available', photoUrls: [] });
    const tokens = Array.from({ length: settings.raceClients }, customerToken);
    const begin = performance.now();
    const statuses = await Promise.all(
      tokens.map(async (token) => (await api.call('POST', '/api/v3/store/order', { token, json: { petId, quantity: 1 } })).status),
    );
    const ms = performance.now() - begin;
    const count = (status) => statuses.filter((answered) => answered === status).length;
    ordersAccepted += count(200) + count(202);
    return { ms, winners: count(200) + count(202), refused: count(409), other: statuses.length - count(200) - count(202) - count(409) };
  }

  return {
    async warmUp() {
      await saturation(settings.warmUpSeconds);
    },

    stock,

    /** Orders at saturation for `seconds`, figures discarded: a load to profile (stock it first). */
    async saturate(seconds) {
      await saturation(seconds);
    },

    /** One round: saturation, then the fixed rate with event lag, then the race. */
    async round(figures) {
      const saturated = await saturation(settings.roundSeconds);
      figures.addAll('orders.saturation', {
        placedPerSecond: saturated.placedPerSecond,
        p50: saturated.result.p50,
        p99: saturated.result.p99,
        notPlaced: saturated.result.ok + saturated.result.failed - (saturated.statuses[200] ?? 0),
      });
      figures.addAll('cpu.order', saturated.cpuPerOrder);
      const fixed = await fixedRate(settings.roundSeconds);
      figures.addAll('orders.fixedRate', {
        p50: fixed.result.p50,
        p99: fixed.result.p99,
        notPlaced: fixed.count - (fixed.statuses[200] ?? 0),
      });
      figures.addAll('eventLag', {
        p50: percentile(fixed.lags, 0.5),
        p99: percentile(fixed.lags, 0.99),
        samples: fixed.lags.length,
        lost: fixed.lost,
      });
      figures.addAll('race', await race());
    },
  };
}

async function warmUp({ settings, targets, soldPets, orders, log, identity }) {
  log('warming up');
  for (const [name, target] of Object.entries(readTargets(targets, soldPets, identity))) {
    await readLoad(name, target, settings.readConnections, settings.warmUpSeconds);
  }
  await orders.warmUp();
}

/** Stops an app and starts it again: ms until it exited, then until it answers HTTP at all, and until /health says healthy. */
async function timeRestart(stack, app, extraEnv) {
  const stopBegin = performance.now();
  await stack.stopApp(app);
  const stoppedMs = performance.now() - stopBegin;
  const healthUrl = `${stack.urlOf(app)}/health`;
  const begin = performance.now();
  let failure;
  const restarted = stack.restartApp(app, extraEnv).catch((error) => (failure = error));
  let serving;
  let healthy;
  while (healthy === undefined && failure === undefined) {
    try {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      serving ??= performance.now() - begin;
      if (response.ok) healthy = performance.now() - begin;
    } catch {
      // not listening yet
    }
    if (healthy === undefined) await sleep(20);
  }
  await restarted;
  if (failure) throw failure;
  return { stoppedMs, servingMs: serving, healthyMs: healthy };
}

module.exports = { signUpCustomers, readTargets, readLoad, readRound, createOrderBench, warmUp, timeRestart };
