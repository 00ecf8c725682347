import { etagOf, ifNoneMatchHits } from './etag';

describe('ETags', () => {
  const etag = etagOf('ab12');

  it('is the quoted SHA-256', () => {
    expect(etag).toBe('"ab12"');
  });

  it('matches If-None-Match lists, weak tags and *', () => {
    expect(ifNoneMatchHits('"ab12"', etag)).toBe(true);
    expect(ifNoneMatchHits('"x", W/"ab12"', etag)).toBe(true);
    expect(ifNoneMatchHits('*', etag)).toBe(true);
    expect(ifNoneMatchHits('"other"', etag)).toBe(false);
    expect(ifNoneMatchHits(undefined, etag)).toBe(false);
  });
});
