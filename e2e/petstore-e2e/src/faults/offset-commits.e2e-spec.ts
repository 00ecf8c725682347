import { Topics } from '@petstore/contracts';
import { MetricName } from '@petstore/platform';
import { eventually } from '../support/api';
import { SUITE_ENVIRONMENT } from '../support/environment';
import { stack } from '../support/stack';
import { createPet, inventoryStatusOf, PetBody } from '../store/store-fixtures';
import { scrape } from '../observability/metrics';
import { valueOf } from '../observability/prometheus-text';
import { sleep } from './support/faults';

/** inventory-service's lag on pet-events, summed over the partitions, as the broker sees its group's commits. */
async function petEventsLag(): Promise<number> {
  const metrics = await scrape('inventory-service');
  return metrics.samples
    .filter((sample) => sample.name === MetricName.consumerLag && sample.labels['topic'] === Topics.PetEvents)
    .reduce((sum, sample) => sum + sample.value, 0);
}

function shownByInventory(pet: PetBody): Promise<boolean> {
  return eventually(async () => ((await inventoryStatusOf(pet.id)) === 'available' ? true : undefined), 30_000, `pet ${pet.id} in inventory-service`);
}

// Consumers commit their offsets at most every OFFSET_COMMIT_INTERVAL_MS, not after every batch.
describe('the offsets a consumer commits', () => {
  it('are committed once a burst of events is applied, though no batch follows to commit them', async () => {
    const pets = await Promise.all(Array.from({ length: 12 }, () => createPet('burst')));
    await Promise.all(pets.map(shownByInventory));
    expect(await eventually(async () => ((await petEventsLag()) === 0 ? 0 : undefined), 10_000, 'no lag left on pet-events')).toBe(0);
  });

  it('are committed when a service stops (SIGTERM) while events flow: its restarted consumer applies none of them twice', async () => {
    let flowing = true;
    const created: PetBody[] = [];
    const flow = (async () => {
      while (flowing) {
        created.push(await createPet('flow'));
        await sleep(20);
      }
    })();
    await sleep(1000);
    await stack.stopApp('inventory-service');
    await stack.restartApp('inventory-service', SUITE_ENVIRONMENT);
    flowing = false;
    await flow;
    await Promise.all(created.map(shownByInventory));
    const metrics = await scrape('inventory-service');
    expect(valueOf(metrics, MetricName.inboxEvents, { topic: Topics.PetEvents, outcome: 'applied' })).toBeGreaterThan(0);
    expect(valueOf(metrics, MetricName.inboxEvents, { topic: Topics.PetEvents, outcome: 'duplicate' }) ?? 0).toBe(0);
  });
});
