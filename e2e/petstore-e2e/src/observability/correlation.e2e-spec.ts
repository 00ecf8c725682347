import { CORRELATION_ID_HEADER } from '@petstore/platform';
import { api } from '../support/api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('correlation ids', () => {
  it("answers with the caller's correlation id, or a new one when it sent none or one too long", async () => {
    const given = await api('GET', '/api/v3/pet/findByStatus?status=available', { headers: { [CORRELATION_ID_HEADER]: 'e2e-correlation-1' } });
    expect(given.headers.get(CORRELATION_ID_HEADER)).toBe('e2e-correlation-1');

    const none = await api('GET', '/api/v3/pet/findByStatus?status=available');
    expect(none.headers.get(CORRELATION_ID_HEADER)).toMatch(UUID);

    const tooLong = await api('GET', '/api/v3/pet/findByStatus?status=available', { headers: { [CORRELATION_ID_HEADER]: 'x'.repeat(129) } });
    expect(tooLong.headers.get(CORRELATION_ID_HEADER)).toMatch(UUID);
  });
});
