import { ErrorResponse } from '@petstore/dto';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { api, eventually } from '../support/api';
import { inDatabase } from '../support/databases';
import { GATEWAY_URL } from '../support/environment';
import { stack } from '../support/stack';
import { signUpCustomer, storeOwnerToken } from '../support/users';
import { addPet, getPet, messageOf, newPet, PetBody, PNG, unusedPetId } from './support/pets';
import { Envelope, TopicObserver, publish, waitForGroupToCatchUp } from '../support/kafka';

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const PHOTO_LIMIT = 5 * 1024 * 1024;
const PHOTO_URL = /^\/api\/v3\/pet\/(\d+)\/photos\/(\d+)$/;

interface UploadAnswer {
  code: number;
  type: string;
  message: string;
}

function upload(petId: number, token: string | undefined, body: BodyInit, contentType?: string, query = '') {
  return api<UploadAnswer | ErrorResponse>('POST', `/api/v3/pet/${petId}/uploadImage${query}`, {
    token,
    body,
    headers: contentType ? { 'content-type': contentType } : {},
  });
}

/** A multipart upload sent in chunks with no Content-Length, so only the streamed bytes can show its size. */
function streamedUpload(petId: number, token: string, boundary: string, chunks: Buffer[]): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${GATEWAY_URL}/api/v3/pet/${petId}/uploadImage`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
      },
      (response) => {
        const received: Buffer[] = [];
        response.on('data', (chunk: Buffer) => received.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode as number, body: JSON.parse(Buffer.concat(received).toString()) }));
      },
    );
    request.on('error', reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

function uploadedUrls(pet: PetBody): string[] {
  return pet.photoUrls.filter((url) => PHOTO_URL.test(url));
}

describe('pet photos', () => {
  let owner: string;

  beforeAll(async () => {
    owner = await storeOwnerToken();
  });

  it('stores an application/octet-stream upload, lists its URL after the external ones and serves it with Content-Type and ETag', async () => {
    const pet = await addPet(owner);
    const response = await upload(pet.id, owner, PNG, 'application/octet-stream', '?additionalMetadata=front%20view');
    expect(response.status).toBe(200);
    const answer = response.body as UploadAnswer;
    expect(answer).toEqual({ code: 200, type: 'image/png', message: expect.stringContaining(`of pet ${pet.id}`) });

    const updated = (await getPet(pet.id)).body as PetBody;
    const [url] = uploadedUrls(updated);
    expect(updated.photoUrls).toEqual([...pet.photoUrls, url]);
    expect(answer.message).toContain(url);

    const photo = await fetch(`${GATEWAY_URL}${url}`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    const etag = photo.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(Buffer.from(await photo.arrayBuffer()).equals(PNG)).toBe(true);

    const again = await api('GET', url, { headers: { 'if-none-match': etag as string } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('lists a photo sent again under the same Idempotency-Key once, answering every send alike and keeping no other copy', async () => {
    const pet = await addPet(owner);
    const key = randomUUID();
    const send = () =>
      api<UploadAnswer | ErrorResponse>('POST', `/api/v3/pet/${pet.id}/uploadImage`, {
        token: owner,
        body: PNG,
        headers: { 'content-type': 'application/octet-stream', 'Idempotency-Key': key },
      });

    const answers = [...(await Promise.all([send(), send(), send()])), await send()];

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    const [url, ...others] = uploadedUrls((await getPet(pet.id)).body as PetBody);
    expect(others).toEqual([]);
    expect((answers[0].body as UploadAnswer).message).toContain(url);
    const uploads = await inDatabase('photo-service', (client) =>
      client.query(`SELECT id FROM photo WHERE pet_id = $1 AND source = 'upload'`, [pet.id]),
    );
    expect(uploads.rows.map((row: { id: string }) => row.id)).toEqual([url.match(PHOTO_URL)?.[2]]);

    const otherBytes = await api<ErrorResponse>('POST', `/api/v3/pet/${pet.id}/uploadImage`, {
      token: owner,
      body: GIF,
      headers: { 'content-type': 'application/octet-stream', 'Idempotency-Key': key },
    });
    expect(otherBytes.status).toBe(422);
    expect(uploadedUrls((await getPet(pet.id)).body as PetBody)).toEqual([url]);

    // The pet now full: the send again still answers what the first upload did.
    const full = { ...pet, photoUrls: [url, ...Array.from({ length: 19 }, (_, i) => `https://images.example.com/${pet.id}-${i}.jpg`)] };
    expect((await api('PUT', '/api/v3/pet', { token: owner, json: full })).status).toBe(200);
    expect(await send()).toMatchObject({ status: 200, body: answers[0].body });
  });

  it('accepts multipart/form-data with one file part', async () => {
    const pet = await addPet(owner);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(GIF)], { type: 'image/gif' }), 'pet.gif');
    const response = await upload(pet.id, owner, form);
    expect(response.status).toBe(200);
    expect((response.body as UploadAnswer).type).toBe('image/gif');
    const [url] = uploadedUrls((await getPet(pet.id)).body as PetBody);
    const photo = await api('GET', url);
    expect(photo.headers.get('content-type')).toBe('image/gif');
  });

  it('refuses a multipart form with two file parts with 400, keeping neither', async () => {
    const pet = await addPet(owner);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(GIF)], { type: 'image/gif' }), 'first.gif');
    form.append('other', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'second.png');
    const response = await upload(pet.id, owner, form);
    expect(response.status).toBe(400);
    expect(messageOf(response.body)).toBe('the multipart body has more than one file part: send one image');
    expect((await getPet(pet.id)).body).toEqual(pet);
  });

  it('sniffs the type from the bytes rather than trusting the declared one', async () => {
    const pet = await addPet(owner);
    const response = await upload(pet.id, owner, PNG, 'image/jpeg');
    expect(response.status).toBe(200);
    expect((response.body as UploadAnswer).type).toBe('image/png');

    const declaredText = await upload(pet.id, owner, PNG, 'text/plain');
    expect(declaredText.status).toBe(200);
    expect((declaredText.body as UploadAnswer).type).toBe('image/png');
  });

  it.each([
    ['text', Buffer.from('just some text, not an image'), 'application/octet-stream'],
    ['a PDF declared as an image', Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), 'image/png'],
    ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml'],
    ['a PNG cut off after its signature', PNG.subarray(0, 12), 'image/png'],
  ])('refuses %s with 415 and leaves the pet unchanged', async (_what, bytes, contentType) => {
    const pet = await addPet(owner);
    const response = await upload(pet.id, owner, bytes, contentType);
    expect(response.status).toBe(415);
    expect(messageOf(response.body)).toContain('image/jpeg, image/png, image/gif, image/webp');
    expect((await getPet(pet.id)).body).toEqual(pet);
  });

  it('refuses an upload over the limit with 413, raw or multipart', async () => {
    const pet = await addPet(owner);
    const tooLarge = Buffer.concat([PNG, Buffer.alloc(PHOTO_LIMIT)]);
    const raw = await upload(pet.id, owner, tooLarge, 'application/octet-stream');
    expect(raw.status).toBe(413);
    expect(messageOf(raw.body)).toContain('larger than the limit');

    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(tooLarge)]), 'big.png');
    const multipart = await upload(pet.id, owner, form);
    expect(multipart.status).toBe(413);
    expect(messageOf(multipart.body)).toBe(`the upload is larger than the limit of ${PHOTO_LIMIT} bytes`);
    expect((await getPet(pet.id)).body).toEqual(pet);
  });

  it('refuses a multipart upload of no declared length with 413 naming the limit once the file passes it', async () => {
    const pet = await addPet(owner);
    const boundary = 'petstore-e2e-boundary';
    const response = await streamedUpload(pet.id, owner, boundary, [
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`),
      PNG,
      ...Array.from({ length: 6 }, () => Buffer.alloc(1024 * 1024)),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect(response.status).toBe(413);
    expect(messageOf(response.body)).toBe(`the upload is larger than the limit of ${PHOTO_LIMIT} bytes`);
    expect((await getPet(pet.id)).body).toEqual(pet);
  });

  it('answers 400 when no file is uploaded, 415 for a JSON body', async () => {
    const pet = await addPet(owner);
    const empty = await upload(pet.id, owner, Buffer.alloc(0), 'application/octet-stream');
    expect(empty.status).toBe(400);
    expect(messageOf(empty.body)).toContain('no file uploaded');

    const form = new FormData();
    form.append('note', 'no file here');
    expect((await upload(pet.id, owner, form)).status).toBe(400);

    expect((await upload(pet.id, owner, JSON.stringify({ image: 'x' }), 'application/json')).status).toBe(415);
  });

  it('answers 404 for an unknown pet and 400 for an invalid id', async () => {
    const id = await unusedPetId(owner);
    const response = await upload(id, owner, PNG, 'application/octet-stream');
    expect(response.status).toBe(404);
    expect(messageOf(response.body)).toBe(`pet ${id} not found`);
    expect((await api('POST', '/api/v3/pet/zero/uploadImage', { token: owner, body: PNG })).status).toBe(400);
  });

  it('needs a store owner to upload, while anyone may download', async () => {
    const pet = await addPet(owner);
    const customer = await signUpCustomer('photos');
    expect((await upload(pet.id, undefined, PNG, 'application/octet-stream')).status).toBe(401);
    expect((await upload(pet.id, customer.token, PNG, 'application/octet-stream')).status).toBe(403);
    await upload(pet.id, owner, PNG, 'application/octet-stream');
    const [url] = uploadedUrls((await getPet(pet.id)).body as PetBody);
    expect((await api('GET', url)).status).toBe(200);
  });

  it('answers 404 for a photo that is not an upload of that pet', async () => {
    const pet = await addPet(owner);
    await upload(pet.id, owner, PNG, 'application/octet-stream');
    const [url] = uploadedUrls((await getPet(pet.id)).body as PetBody);
    const [, , photoId] = PHOTO_URL.exec(url) as RegExpExecArray;
    const other = await addPet(owner);
    expect((await api('GET', `/api/v3/pet/${other.id}/photos/${photoId}`)).status).toBe(404);
    expect((await api('GET', `/api/v3/pet/${pet.id}/photos/0`)).status).toBe(400);
  });

  it('keeps uploaded photos through a GET-then-PUT round trip and registers new external URLs', async () => {
    const pet = await addPet(owner);
    await upload(pet.id, owner, PNG, 'application/octet-stream');
    const current = (await getPet(pet.id)).body as PetBody;
    const extra = 'https://images.example.com/another.webp';
    const response = await api<PetBody>('PUT', '/api/v3/pet', {
      token: owner,
      json: { ...current, photoUrls: [...current.photoUrls, extra] },
    });
    expect(response.status).toBe(200);
    expect(response.body.photoUrls).toEqual([...current.photoUrls, extra]);
    expect((await api('GET', uploadedUrls(current)[0])).status).toBe(200);
  });

  describe('when the pet is deleted', () => {
    let observer: TopicObserver;

    beforeAll(async () => {
      observer = await TopicObserver.start(['pet-events']);
    });

    afterAll(async () => {
      await observer.stop();
    });

    it('photo-service removes its photos once, even when PET_DELETED is delivered again', async () => {
      const id = await unusedPetId(owner);
      await addPet(owner, { id });
      await upload(id, owner, PNG, 'application/octet-stream');
      // photo-service now holds two photos of the pet: the external URL addPet registered, and the upload.
      const [oldUrl] = uploadedUrls((await getPet(id)).body as PetBody);

      expect((await api('DELETE', `/api/v3/pet/${id}`, { token: owner })).status).toBe(200);
      const [deleted] = await observer.waitFor((message) => message.key === String(id) && (message.value as Envelope).type === 'PET_DELETED');
      const deletion = deleted.value as Envelope;
      await eventually(async () => ((await api('GET', oldUrl)).status === 404 ? true : undefined), 20000, 'photo removed');

      const recreated = await api<PetBody>('POST', '/api/v3/pet', { token: owner, json: newPet({ id }) });
      expect(recreated.status).toBe(200);
      const [created] = await observer.waitFor(
        (message) =>
          message.key === String(id) &&
          (message.value as Envelope).type === 'PET_CREATED' &&
          (message.value as Envelope).aggregateVersion > deletion.aggregateVersion,
      );
      expect((created.value as Envelope).aggregateVersion).toBe(deletion.aggregateVersion + 1);
      await upload(id, owner, GIF, 'application/octet-stream');
      const [newUrl] = uploadedUrls((await getPet(id)).body as PetBody);

      await publish('pet-events', String(id), deletion, deleted.headers);
      await waitForGroupToCatchUp('photo-service', 'pet-events');

      expect((await api('GET', newUrl)).status).toBe(200);
      const log = readFileSync(join(stack.logDir, 'photo-service.log'), 'utf8');
      const removals = log.split('\n').filter((line) => line.includes(`pet ${id} deleted (version ${deletion.aggregateVersion})`));
      expect(removals).toHaveLength(1);
      expect(removals[0]).toContain('removed 2 photo(s)');
    });
  });
});
