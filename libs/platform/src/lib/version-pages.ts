import { MAX_VERSIONS_PAGE } from '@petstore/dto';
import { ServiceClient } from './service-client';

/**
 * Every page of what a service owns at `path` (a VersionsPageQuery route), by ascending id, each
 * asked for after the last id of the one before, until a short page.
 */
export async function* versionPages<T extends { id: number }>(owner: ServiceClient, path: string): AsyncGenerator<T[]> {
  for (let afterId = 0, last = false; !last; ) {
    const page = await owner.json<T[]>({ path, query: { afterId: String(afterId), limit: String(MAX_VERSIONS_PAGE) } });
    yield page;
    last = page.length < MAX_VERSIONS_PAGE;
    afterId = page.at(-1)?.id ?? afterId;
  }
}
