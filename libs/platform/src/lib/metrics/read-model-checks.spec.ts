import { MetricName } from './metric-names';
import { metricsRegistry } from './metrics-registry';
import { countReadModelCheck, ReadModel } from './read-model-checks';

async function valueOf(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await metricsRegistry.getSingleMetric(name)?.get();
  return metric?.values.find((value) => Object.entries(labels).every(([key, label]) => value.labels[key] === label))?.value;
}

describe('countReadModelCheck', () => {
  it("counts each check by how it ended, and adds what it corrected to the model's corrections, a failed check's too", async () => {
    countReadModelCheck(ReadModel.InventoryPets, 'completed', 0);
    expect(await valueOf(MetricName.readModelCorrections, { model: ReadModel.InventoryPets })).toBe(0);

    countReadModelCheck(ReadModel.InventoryPets, 'completed', 3);
    countReadModelCheck(ReadModel.InventoryPets, 'failed', 2);

    expect(await valueOf(MetricName.readModelChecks, { model: ReadModel.InventoryPets, outcome: 'completed' })).toBe(2);
    expect(await valueOf(MetricName.readModelChecks, { model: ReadModel.InventoryPets, outcome: 'failed' })).toBe(1);
    expect(await valueOf(MetricName.readModelCorrections, { model: ReadModel.InventoryPets })).toBe(5);
    expect(await valueOf(MetricName.readModelCorrections, { model: ReadModel.PhotosOfDeletedPets })).toBeUndefined();
  });
});
