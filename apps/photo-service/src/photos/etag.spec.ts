import { etagOf } from './etag';

describe('ETags', () => {
  it('is the quoted SHA-256', () => {
    expect(etagOf('ab12')).toBe('"ab12"');
  });
});
