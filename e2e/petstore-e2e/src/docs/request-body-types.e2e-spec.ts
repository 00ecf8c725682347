import { api } from '../support/api';
import { signUpCustomer, storeOwnerToken } from '../support/users';
import { fetchGatewayDocument, OpenApiDocument } from './support/openapi-tools';

interface BodyOperation {
  method: string;
  path: string;
  operationId: string;
  mediaTypes: string[];
}

/** Each operation whose body is read into fields (uploadFile reads raw bytes of any type), with the media types its document names. */
function bodyOperations(document: OpenApiDocument): BodyOperation[] {
  type WithBody = { operationId: string; requestBody?: { content: Record<string, unknown> } };
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, WithBody>)
      .filter(([, operation]) => operation.requestBody && !('application/octet-stream' in operation.requestBody.content))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: `/api/v3${path.replace(/\{[^}]+\}/g, '1')}`,
        operationId: operation.operationId,
        mediaTypes: Object.keys(operation.requestBody?.content ?? {}),
      })),
  );
}

/**
 * Every app parses JSON and form bodies and leaves any other unread: a body of another type,
 * or one without a Content-Type, used to be ignored (an update answered 200 having changed
 * nothing). Each operation now takes only the media types its document names.
 */
describe('a request body of a type the operation does not read', () => {
  let operations: BodyOperation[];
  let owner: string;

  beforeAll(async () => {
    operations = bodyOperations((await fetchGatewayDocument()).document);
    owner = await storeOwnerToken();
  });

  it('is refused 415 naming the types the document names, by every operation that reads a body', async () => {
    expect(operations.map((operation) => operation.operationId)).toEqual(
      expect.arrayContaining(['addPet', 'updatePet', 'placeOrder', 'createUser', 'createUsersWithListInput', 'updateUser']),
    );
    for (const { method, path, operationId, mediaTypes } of operations) {
      const xml = await api(method, path, { token: owner, body: '<pet><name>rex</name></pet>', headers: { 'content-type': 'application/xml' } });
      const untyped = await api(method, path, { token: owner, body: new Blob(['{"name":"rex"}']) });
      const expected = {
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: expect.stringContaining(`send the body as ${mediaTypes.join(' or ')}, not `),
      };
      expect({ operationId, xml: { status: xml.status, body: xml.body }, untyped: { status: untyped.status, body: untyped.body } }).toEqual({
        operationId,
        xml: { status: 415, body: expected },
        untyped: { status: 415, body: expected },
      });
    }
  });

  it('changes nothing: an update sent as text is refused, and the user keeps their fields', async () => {
    const user = await signUpCustomer('text-body');
    const sent = await api('PUT', `/api/v3/user/${user.username}`, {
      token: user.token,
      body: 'firstName=Changed',
      headers: { 'content-type': 'text/plain' },
    });
    expect({ status: sent.status, body: sent.body }).toEqual({
      status: 415,
      body: {
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: 'send the body as application/json or application/x-www-form-urlencoded, not text/plain',
      },
    });
    const read = await api<{ firstName?: string }>('GET', `/api/v3/user/${user.username}`, { token: user.token });
    expect(read.body.firstName).not.toBe('Changed');

    const asForm = await api<{ firstName?: string }>('PUT', `/api/v3/user/${user.username}`, {
      token: user.token,
      body: 'firstName=Changed',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect({ status: asForm.status, firstName: asForm.body.firstName }).toEqual({ status: 200, firstName: 'Changed' });
  });
});
