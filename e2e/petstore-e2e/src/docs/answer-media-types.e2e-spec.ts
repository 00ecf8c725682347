import { ACCEPTED_PHOTO_TYPES } from '@petstore/dto';
import { addPet, getPet, PetBody, PNG } from '../pets/support/pets';
import { api } from '../support/api';
import { GATEWAY_URL } from '../support/environment';
import { storeOwnerToken } from '../support/users';
import { fetchGatewayDocument, OpenApiDocument } from './support/openapi-tools';

interface AnsweringOperation {
  method: string;
  path: string;
  operationId: string;
  mediaTypes: string[];
}

/** Each operation with the media types its document says it answers on success (none: it answers no body). */
function answeringOperations(document: OpenApiDocument): AnsweringOperation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: `/api/v3${path.replace(/\{[^}]+\}/g, '1')}`,
      operationId: operation.operationId,
      mediaTypes: [
        ...new Set(
          Object.entries(operation.responses).flatMap(([status, response]) => (status.startsWith('2') ? Object.keys(response.content ?? {}) : [])),
        ),
      ],
    })),
  );
}

function notAcceptable(mediaTypes: string[], accept: string) {
  return {
    statusCode: 406,
    error: 'Not Acceptable',
    message: `this operation answers ${mediaTypes.join(' or ')}, and the request accepts only ${accept}`,
  };
}

/** An Accept of exactly `length` characters that takes anything. */
function acceptOfLength(length: number): string {
  return `*/*,${'x'.repeat(length - 4)}`;
}

async function uploadedPhotoUrl(owner: string): Promise<string> {
  const pet = await addPet(owner, { photoUrls: [] });
  const uploaded = await api('POST', `/api/v3/pet/${pet.id}/uploadImage`, {
    token: owner,
    body: PNG,
    headers: { 'content-type': 'application/octet-stream' },
  });
  expect(uploaded.status).toBe(200);
  const [url] = ((await getPet(pet.id)).body as PetBody).photoUrls;
  return url;
}

/**
 * The Petstore contract also lists XML answers; this API answers JSON (photos as images). A
 * client asking only for XML used to be answered JSON it then failed to read; it now learns
 * why, before anything is done.
 */
describe('what the gateway answers, and as what', () => {
  let owner: string;

  beforeAll(async () => {
    owner = await storeOwnerToken();
  });

  it('refuses 406, naming what the document says it answers, every operation asked for XML only', async () => {
    const operations = answeringOperations((await fetchGatewayDocument()).document);
    const answeringBodies = operations.filter((operation) => operation.mediaTypes.length > 0);
    expect(answeringBodies.map((operation) => operation.operationId)).toEqual(
      expect.arrayContaining(['getPetById', 'placeOrder', 'loginUser', 'getPetPhoto']),
    );
    expect(operations.filter((operation) => operation.mediaTypes.length === 0).map((operation) => operation.operationId)).toEqual(
      expect.arrayContaining(['deletePet', 'deleteOrder']),
    );
    for (const { method, path, operationId, mediaTypes } of answeringBodies) {
      const answer = await api(method, path, { token: owner, headers: { accept: 'application/xml' } });
      expect({ operationId, status: answer.status, body: answer.body }).toEqual({
        operationId,
        status: 406,
        body: notAcceptable(mediaTypes, 'application/xml'),
      });
    }
  });

  it('does nothing it refuses: an update asked for XML leaves the pet; a deletion, which answers no body, is made', async () => {
    const pet = await addPet(owner);
    const refused = await api('PUT', '/api/v3/pet', {
      token: owner,
      json: { ...pet, name: 'renamed-in-xml' },
      headers: { accept: 'application/xml' },
    });
    expect(refused.status).toBe(406);
    expect(((await getPet(pet.id)).body as PetBody).name).toBe(pet.name);

    const deleted = await api('DELETE', `/api/v3/pet/${pet.id}`, { token: owner, headers: { accept: 'application/xml' } });
    expect(deleted.status).toBe(200);
    expect((await getPet(pet.id)).status).toBe(404);
  });

  it('answers JSON to every Accept that takes it, and a photo to one that takes images; an Accept past 1024 characters is 400', async () => {
    const pet = await addPet(owner);
    const accepts = [
      '*/*',
      'application/*',
      'application/json; charset=utf-8',
      'application/xml, application/json;q=0.5',
      'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      '',
      acceptOfLength(1024),
    ];
    for (const accept of accepts) {
      const answer = await api<PetBody>('GET', `/api/v3/pet/${pet.id}`, { headers: { accept } });
      expect({ accept, status: answer.status, type: answer.headers.get('content-type'), id: answer.body.id }).toEqual({
        accept,
        status: 200,
        type: 'application/json; charset=utf-8',
        id: pet.id,
      });
    }

    const tooLong = await api('GET', `/api/v3/pet/${pet.id}`, { headers: { accept: acceptOfLength(1025) } });
    expect({ status: tooLong.status, body: tooLong.body }).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'the Accept header is longer than 1024 characters' },
    });

    const url = await uploadedPhotoUrl(owner);
    const photo = await fetch(`${GATEWAY_URL}${url}`, { headers: { accept: 'image/*' } });
    expect({ status: photo.status, type: photo.headers.get('content-type') }).toEqual({ status: 200, type: 'image/png' });
    const asJson = await api('GET', url, { headers: { accept: 'application/json' } });
    expect({ status: asJson.status, body: asJson.body }).toEqual({
      status: 406,
      body: notAcceptable([...ACCEPTED_PHOTO_TYPES], 'application/json'),
    });
  });

  it('tells browsers not to sniff any answer: JSON, errors, the router’s refusals, photos and the docs', async () => {
    const pet = await addPet(owner);
    const url = await uploadedPhotoUrl(owner);
    const answers = {
      pet: await fetch(`${GATEWAY_URL}/api/v3/pet/${pet.id}`),
      notFound: await fetch(`${GATEWAY_URL}/api/v3/pet/${Number.MAX_SAFE_INTEGER}`),
      noRoute: await fetch(`${GATEWAY_URL}/api/v3/nowhere`),
      unauthorized: await fetch(`${GATEWAY_URL}/api/v3/store/inventory`),
      badPath: await fetch(`${GATEWAY_URL}/api/v3/pet/%E0%A4%A`),
      photo: await fetch(`${GATEWAY_URL}${url}`),
      docs: await fetch(`${GATEWAY_URL}/docs`),
      document: await fetch(`${GATEWAY_URL}/docs-json`),
    };
    const seen = Object.fromEntries(
      Object.entries(answers).map(([name, answer]) => [name, [answer.status, answer.headers.get('x-content-type-options')]]),
    );
    expect(seen).toEqual({
      pet: [200, 'nosniff'],
      notFound: [404, 'nosniff'],
      noRoute: [404, 'nosniff'],
      unauthorized: [401, 'nosniff'],
      badPath: [400, 'nosniff'],
      photo: [200, 'nosniff'],
      docs: [200, 'nosniff'],
      document: [200, 'nosniff'],
    });
  });
});
