import { ServiceName } from '@petstore/platform';
import { stack } from '../support/stack';
import { Exposition, parsePrometheusText } from './prometheus-text';

/** An app's `GET /metrics`, as Prometheus scrapes it: without a token, parsed. */
export async function scrape(app: ServiceName): Promise<Exposition> {
  const response = await fetch(`${stack.managementUrlOf(app)}/metrics`);
  if (response.status !== 200) throw new Error(`${app}/metrics answered ${response.status}`);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*\bversion=0\.0\.4\b/);
  return parsePrometheusText(await response.text());
}
