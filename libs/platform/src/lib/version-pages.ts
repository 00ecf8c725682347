import { MAX_SETTLE_SECONDS, MAX_VERSIONS_PAGE } from '@petstore/dto';
import Joi from 'joi';
import { configNamespace, variable } from './config-namespace';
import { ServiceClient } from './service-client';

/**
 * How old a change at its owner must be before a read model's check takes it: a younger one's
 * event may still be on its way (published, not yet consumed; longer while Kafka or the model's
 * database is away), and the check would count it a correction, an event lost, when it is not.
 * The next check takes a change whose event never came.
 */
export const readModelCheckConfig = configNamespace('readModelCheck', {
  settledSeconds: variable('READ_MODEL_CHECK_SETTLE_SECONDS', Joi.number().integer().min(0).max(MAX_SETTLE_SECONDS).default(60)),
});

/**
 * Every page of what a service owns at `path` (a VersionsPageQuery route), changed at least
 * `settledSeconds` ago, by ascending id, each asked for after the last id of the one before,
 * until a short page.
 */
export async function* versionPages<T extends { id: number }>(owner: ServiceClient, path: string, settledSeconds: number): AsyncGenerator<T[]> {
  for (let afterId = 0, last = false; !last; ) {
    const page = await owner.json<T[]>({
      path,
      query: { afterId: String(afterId), limit: String(MAX_VERSIONS_PAGE), settledSeconds: String(settledSeconds) },
    });
    yield page;
    last = page.length < MAX_VERSIONS_PAGE;
    afterId = page.at(-1)?.id ?? afterId;
  }
}
