import { MetricName, ReadModel, ServiceName } from '@petstore/platform';
import { scrape } from '../../observability/metrics';
import { valueOf } from '../../observability/prometheus-text';
import { eventually } from '../../support/api';

/** The corrections the app counted for the model, once a check of it has completed since the app started (the series exists only from then). */
export function correctionsCounted(app: ServiceName, model: ReadModel, timeoutMs = 30000): Promise<number> {
  return eventually(
    async () => {
      const metrics = await scrape(app);
      if (!valueOf(metrics, MetricName.readModelChecks, { model, outcome: 'completed' })) return undefined;
      return valueOf(metrics, MetricName.readModelCorrections, { model });
    },
    timeoutMs,
    `${app} to count a completed check of ${model}`,
  );
}
