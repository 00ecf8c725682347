import { addPet } from '../pets/support/pets';
import { GATEWAY_URL, SUITE_ENVIRONMENT } from '../support/environment';
import { storeOwnerToken } from '../support/users';

const ALLOWED = SUITE_ENVIRONMENT.CORS_ORIGINS;

function preflight(origin: string, method: string, headers: string): Promise<Response> {
  return fetch(`${GATEWAY_URL}/api/v3/pet`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

/** A shop's web page on another origin calls the API from the browser; pages of other sites cannot. */
describe('CORS (CORS_ORIGINS)', () => {
  it("answers an allowed origin's preflight with the methods and headers the API takes, and no credentials", async () => {
    const answer = await preflight(ALLOWED, 'PUT', 'authorization, content-type, if-match, idempotency-key');
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, DELETE');
    expect(answer.headers.get('access-control-allow-headers')?.split(/\s*,\s*/)).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key']),
    );
    expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it("lets the allowed origin's page read an answer and the headers it needs (ETag, Retry-After, Location)", async () => {
    const pet = await addPet(await storeOwnerToken());
    const answer = await fetch(`${GATEWAY_URL}/api/v3/pet/${pet.id}`, { headers: { origin: ALLOWED } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(answer.headers.get('access-control-expose-headers')?.split(/\s*,\s*/)).toEqual(
      expect.arrayContaining(['etag', 'retry-after', 'location']),
    );
  });

  it('gives any other origin no CORS header, so its pages cannot read the answers', async () => {
    const answer = await preflight('https://evil.example', 'DELETE', 'authorization');
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fetch(`${GATEWAY_URL}/api/v3/pet/findByStatus?status=available`, { headers: { origin: 'https://evil.example' } });
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});
