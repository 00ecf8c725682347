import { MetricName, ReadModel } from '@petstore/platform';
import { FIRST_CHECK_RETRY_MS } from '@petstore/platform/database';
import { scrape } from '../observability/metrics';
import { valueOf } from '../observability/prometheus-text';
import { createPet, orderPet, petBecomes } from '../store/store-fixtures';
import { eventually } from '../support/api';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { stack } from '../support/stack';
import { signUpCustomer } from '../support/users';

async function pendingPetsChecks(outcome: 'completed' | 'failed'): Promise<number> {
  return valueOf(await scrape('pet-service'), MetricName.readModelChecks, { model: ReadModel.PendingPets, outcome }) ?? 0;
}

/**
 * A stack started in order (compose starts pet-service before order-service, which waits for it
 * to be healthy) brings up the service a check asks after the service that checks. Its first
 * check after the start fails, and used to leave the next to its interval (10 minutes).
 */
describe('a service whose first check after start meets the service it asks still starting', () => {
  afterAll(async () => {
    if (!(await fetch(`${stack.urlOf('order-service')}/health`).catch(() => undefined))) await stack.restartApp('order-service', SUITE_ENVIRONMENT);
  });

  it('checks again within seconds, and completes once that service is up', async () => {
    // A pending pet, so the check has an order to ask order-service about.
    const pet = await createPet('checked-at-start');
    await orderPet((await signUpCustomer('checked-at-start')).token, pet.id);
    await petBecomes(pet.id, 'pending');

    await stack.stopApp('order-service');
    await stack.stopApp('pet-service');
    await stack.restartApp('pet-service', SUITE_ENVIRONMENT);
    await eventually(
      async () => ((await pendingPetsChecks('failed')) >= 1 ? true : undefined),
      30000,
      "pet-service's first pending-pets check to fail",
    );
    expect(await pendingPetsChecks('completed')).toBe(0);

    await stack.restartApp('order-service', SUITE_ENVIRONMENT);

    await eventually(
      async () => ((await pendingPetsChecks('completed')) === 1 ? true : undefined),
      FIRST_CHECK_RETRY_MS + 20000,
      "pet-service's pending-pets check to complete",
    );
  });
});
