import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_ID } from '@petstore/contracts';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { FromDecimalText } from './decimal-text';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/**
 * One page of a list that could otherwise grow without bound: `limit` items after skipping
 * `offset`, by ascending id. A client that sends neither gets the first 100; a page shorter than
 * `limit` is the last.
 */
export class PageQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    description: `At most this many items (paging extension; ${DEFAULT_PAGE_SIZE} when omitted).`,
  })
  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit = DEFAULT_PAGE_SIZE;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    default: 0,
    description: 'Items are listed by ascending id; skip this many (paging extension).',
  })
  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(0)
  @Max(MAX_ID)
  offset = 0;
}

/** The page as query parameters, for the gateway to pass on to the service that lists. */
export function pageParameters(page: PageQuery): Record<string, string> {
  return { limit: String(page.limit), offset: String(page.offset) };
}

/** The most items one page of versions lists. */
export const MAX_VERSIONS_PAGE = 1000;

/** The longest a check may ask its owner to leave recent changes out: an hour. */
export const MAX_SETTLE_SECONDS = 3600;

/**
 * What a read model checking itself against the items' owner asks for: only the items whose last
 * change is at least `settledSeconds` old. A newer change's event may still be on its way to the
 * model, which would then take the change twice: from the check, counted as a correction (an
 * event lost), and from the event, skipped as stale.
 */
export class SettledItemsQuery {
  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(0)
  @Max(MAX_SETTLE_SECONDS)
  settledSeconds = 0;
}

/**
 * A page of what a service owns, each item with its version, for a read model to check itself
 * against: every item with an id above `afterId` (and settled, see SettledItemsQuery), by
 * ascending id, at most `limit`; a shorter page is the last.
 */
export class VersionsPageQuery extends SettledItemsQuery {
  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(0)
  @Max(MAX_ID)
  afterId = 0;

  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(1)
  @Max(MAX_VERSIONS_PAGE)
  limit = MAX_VERSIONS_PAGE;
}
