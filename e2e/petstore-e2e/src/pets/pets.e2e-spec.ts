import { ErrorResponse, MAX_PAGE_SIZE } from '@petstore/dto';
import { IDEMPOTENCY_KEY_RETENTION_SECONDS } from '@petstore/platform';
import { randomUUID } from 'node:crypto';
import { inDatabase } from '../support/databases';
import { api } from '../support/api';
import { signUpCustomer, storeOwnerToken } from '../support/users';
import { addPet, getPet, messageOf, newPet, PetBody, unique, unusedPetId } from './support/pets';
import { Envelope, TopicObserver } from '../support/kafka';
import { cancelOrder, orderPet, petBecomes } from '../store/store-fixtures';

describe('pets through the gateway', () => {
  let owner: string;
  let customer: string;

  beforeAll(async () => {
    owner = await storeOwnerToken();
    customer = (await signUpCustomer('pets')).token;
  });

  describe('addPet', () => {
    it('creates an available pet with a server-assigned id, its category, tags and photo URLs', async () => {
      const body = newPet({ tags: [{ name: unique('tag') }, { name: unique('tag') }] });
      const response = await api<PetBody>('POST', '/api/v3/pet', { token: owner, json: body });

      expect(response.status).toBe(200);
      const pet = response.body;
      expect(Number.isSafeInteger(pet.id) && pet.id > 0).toBe(true);
      expect(pet).toEqual({
        id: pet.id,
        name: body['name'],
        category: { id: expect.any(Number), name: (body['category'] as { name: string }).name },
        photoUrls: body['photoUrls'],
        tags: (body['tags'] as { name: string }[]).map((tag) => ({ id: expect.any(Number), name: tag.name })),
        status: 'available',
      });
      expect((await getPet(pet.id)).body).toEqual(pet);
    });

    it('reads ids of 0 as none given, as Swagger UI fills in the contract example', async () => {
      const body = {
        id: 0,
        name: 'doggie',
        category: { id: 0, name: unique('Dogs') },
        photoUrls: ['string'],
        tags: [{ id: 0, name: 'string' }],
        status: 'available',
      };
      const response = await api<PetBody>('POST', '/api/v3/pet', { token: owner, json: body });
      expect(response.status).toBe(200);
      expect(response.body.id).toBeGreaterThan(0);
      expect(response.body.tags).toEqual([{ id: expect.any(Number), name: 'string' }]);
    });

    it('reuses an existing category and tag named by id or by name', async () => {
      const first = await addPet(owner);
      const second = await addPet(owner, {
        category: { id: first.category?.id },
        tags: [{ name: first.tags[0].name }],
      });
      expect(second.category).toEqual(first.category);
      expect(second.tags).toEqual(first.tags);
    });

    it('uses a free id the client chose, and refuses a taken one with 409 without touching the pet', async () => {
      const id = await unusedPetId(owner);
      const created = await api<PetBody>('POST', '/api/v3/pet', { token: owner, json: newPet({ id }) });
      expect(created.status).toBe(200);
      expect(created.body.id).toBe(id);

      const again = await api<ErrorResponse>('POST', '/api/v3/pet', { token: owner, json: newPet({ id, name: 'overwriter' }) });
      expect(again.status).toBe(409);
      expect(messageOf(again.body)).toContain(`pet ${id} already exists`);
      expect((await getPet(id)).body).toEqual(created.body);
    });

    it.each(['pending', 'sold'])('refuses a new pet that is %s with 409: only orders set that status', async (status) => {
      const response = await api<ErrorResponse>('POST', '/api/v3/pet', { token: owner, json: newPet({ status }) });
      expect(response.status).toBe(409);
      expect(messageOf(response.body)).toContain(`cannot be ${status}`);
    });

    it('answers 400 naming every field that fails validation', async () => {
      const response = await api<ErrorResponse>('POST', '/api/v3/pet', {
        token: owner,
        json: { id: -3, status: 'lost', tags: 'friendly', category: { id: 'x' } },
      });
      expect(response.status).toBe(400);
      const message = messageOf(response.body);
      for (const field of ['id', 'name', 'photoUrls', 'status', 'tags', 'category.id']) expect(message).toContain(field);
    });

    it('refuses a photo URL a page showing the pet would run (javascript:, data:), and creates nothing', async () => {
      const name = unique('scripted');
      for (const url of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>']) {
        const response = await api<ErrorResponse>('POST', '/api/v3/pet', { token: owner, json: newPet({ name, photoUrls: [url] }) });
        expect({ status: response.status, message: messageOf(response.body) }).toEqual({
          status: 400,
          message: 'each value in photoUrls must be an http or https URL or a path, without spaces or control characters',
        });
      }
      const stored = await inDatabase('pet-service', (client) => client.query(`SELECT id FROM pet WHERE name = $1`, [name]));
      expect(stored.rows).toEqual([]);
    });

    it('answers 400 for broken JSON or an empty JSON body, 415 for XML, and 413 for a body over the size limit', async () => {
      const broken = await api<ErrorResponse>('POST', '/api/v3/pet', {
        token: owner,
        body: '{"name": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(broken.status).toBe(400);
      expect(messageOf(broken.body)).toBe('request body is not valid JSON');

      const empty = await api<ErrorResponse>('POST', '/api/v3/pet', { token: owner, headers: { 'content-type': 'application/json' } });
      expect(empty.status).toBe(400);
      for (const field of ['name', 'photoUrls']) expect(messageOf(empty.body)).toContain(field);

      const xml = await api<ErrorResponse>('POST', '/api/v3/pet', {
        token: owner,
        body: '<pet><name>doggie</name></pet>',
        headers: { 'content-type': 'application/xml' },
      });
      expect(xml.status).toBe(415);
      expect(messageOf(xml.body)).toContain('application/json');

      const huge = await api<ErrorResponse>('POST', '/api/v3/pet', {
        token: owner,
        json: newPet({ name: 'x'.repeat(2 * 1024 * 1024) }),
      });
      expect(huge.status).toBe(413);
      expect(huge.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'request body is larger than the limit of 1048576 bytes' });
    });

    it('refuses a category id that names another category with 409', async () => {
      const pet = await addPet(owner);
      const response = await api<ErrorResponse>('POST', '/api/v3/pet', {
        token: owner,
        json: newPet({ category: { id: pet.category?.id, name: unique('other') } }),
      });
      expect(response.status).toBe(409);
      expect(messageOf(response.body)).toContain(`category ${pet.category?.id} is named`);
    });

    it('needs a store owner: 401 without a token, 403 for a customer', async () => {
      expect((await api('POST', '/api/v3/pet', { json: newPet() })).status).toBe(401);
      expect((await api('POST', '/api/v3/pet', { token: customer, json: newPet() })).status).toBe(403);
    });

    describe('sent again under the same Idempotency-Key', () => {
      const petsTagged = async (tag: string) => (await api<PetBody[]>('GET', `/api/v3/pet/findByTags?tags=${tag}`)).body;
      const addUnderKey = (key: string, body: Record<string, unknown>) =>
        api<PetBody | ErrorResponse>('POST', '/api/v3/pet', { token: owner, json: body, headers: { 'Idempotency-Key': key } });

      it('answers the pet the first request created, and creates no other', async () => {
        const tag = unique('once');
        const body = newPet({ tags: [{ name: tag }] });
        const key = randomUUID();

        const first = await addUnderKey(key, body);
        const again = await addUnderKey(key, body);
        const quoted = await addUnderKey(`"${key}"`, body);

        expect(first.status).toBe(200);
        expect(again).toMatchObject({ status: 200, body: first.body });
        expect(quoted).toMatchObject({ status: 200, body: first.body });
        expect(JSON.stringify(again.body)).toBe(JSON.stringify(first.body));
        expect((await petsTagged(tag)).map((pet) => pet.id)).toEqual([(first.body as PetBody).id]);
      });

      it('makes one pet of concurrent sends: each waits for the one in flight and answers its pet', async () => {
        const tag = unique('concurrent');
        const body = newPet({ tags: [{ name: tag }] });
        const key = randomUUID();

        const answers = await Promise.all(Array.from({ length: 5 }, () => addUnderKey(key, body)));

        const created = await petsTagged(tag);
        expect(created).toHaveLength(1);
        expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
        expect(new Set(answers.map((answer) => (answer.body as PetBody).id))).toEqual(new Set([created[0].id]));
      });

      it('refuses the key with another request (422), a malformed key (400), and creates nothing for either', async () => {
        const tag = unique('reused');
        const key = randomUUID();
        expect((await addUnderKey(key, newPet())).status).toBe(200);

        const other = await addUnderKey(key, newPet({ tags: [{ name: tag }] }));
        expect(other.status).toBe(422);
        expect(messageOf(other.body)).toBe(`Idempotency-Key '${key}' was sent before with a different request; send a new key for a new request`);

        const malformed = await addUnderKey('two words', newPet({ tags: [{ name: tag }] }));
        expect(malformed.status).toBe(400);
        expect(messageOf(malformed.body)).toContain('Idempotency-Key must be given once');
        expect(await petsTagged(tag)).toEqual([]);
      });

      it('forgets a key after its retention: the key then names the next request', async () => {
        const key = randomUUID();
        const first = await addUnderKey(key, newPet());
        expect(first.status).toBe(200);
        await inDatabase('pet-service', (client) =>
          client.query(`UPDATE idempotent_request SET created_at = now() - make_interval(secs => $2) WHERE idempotency_key = $1`, [
            key,
            IDEMPOTENCY_KEY_RETENTION_SECONDS,
          ]),
        );

        const next = await addUnderKey(key, newPet());
        expect(next.status).toBe(200);
        expect((next.body as PetBody).id).not.toBe((first.body as PetBody).id);
        expect(await addUnderKey(key, newPet())).toMatchObject({ status: 422 });
      });

      it('does not hold a request that failed: sent again after the failure is mended, it creates the pet', async () => {
        const key = randomUUID();
        const pet = await addPet(owner);
        const body = newPet({ id: pet.id, tags: [{ name: unique('retried') }] });

        expect((await addUnderKey(key, body)).status).toBe(409);
        expect((await api('DELETE', `/api/v3/pet/${pet.id}`, { token: owner })).status).toBe(200);
        expect(await addUnderKey(key, body)).toMatchObject({ status: 200, body: { id: pet.id } });
      });
    });
  });

  describe('getPetById', () => {
    it('is public', async () => {
      const pet = await addPet(owner);
      const response = await api<PetBody>('GET', `/api/v3/pet/${pet.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(pet);
    });

    it('answers the same with a trailing slash', async () => {
      const pet = await addPet(owner);
      const response = await api<PetBody>('GET', `/api/v3/pet/${pet.id}/`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(pet);
    });

    it('answers 404 for an unknown pet', async () => {
      const id = await unusedPetId(owner);
      const response = await getPet(id);
      expect(response.status).toBe(404);
      expect(messageOf(response.body)).toBe(`pet ${id} not found`);
    });

    it.each(['abc', '0', '-1', '1.5', '99999999999999999999', '0x1', '1e0', '+1', ' 1'])(
      'answers 400 for the invalid id %p, naming it as sent',
      async (id) => {
        const response = await getPet(encodeURIComponent(id));
        expect(response.status).toBe(400);
        expect(messageOf(response.body)).toBe(`petId must be a positive integer up to ${Number.MAX_SAFE_INTEGER}, got '${id}'`);
      },
    );
  });

  describe('updatePet', () => {
    it('replaces the fields and keeps the status when none is given', async () => {
      const pet = await addPet(owner);
      const changes = {
        id: pet.id,
        name: unique('renamed'),
        category: { name: unique('category') },
        photoUrls: [...pet.photoUrls, `https://images.example.com/${unique('extra')}.png`],
        tags: [{ name: unique('tag') }],
      };
      const response = await api<PetBody>('PUT', '/api/v3/pet', { token: owner, json: changes });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        id: pet.id,
        name: changes.name,
        category: { id: expect.any(Number), name: changes.category.name },
        photoUrls: changes.photoUrls,
        tags: [{ id: expect.any(Number), name: changes.tags[0].name }],
        status: 'available',
      });
      expect((await getPet(pet.id)).body).toEqual(response.body);
    });

    it('answers 404 for an unknown pet and 400 without an id', async () => {
      const id = await unusedPetId(owner);
      const unknown = await api<ErrorResponse>('PUT', '/api/v3/pet', { token: owner, json: newPet({ id }) });
      expect(unknown.status).toBe(404);
      expect(messageOf(unknown.body)).toBe(`pet ${id} not found`);

      const noId = await api<ErrorResponse>('PUT', '/api/v3/pet', { token: owner, json: newPet() });
      expect(noId.status).toBe(400);
      expect(messageOf(noId.body)).toContain('id is required');
    });

    it.each(['pending', 'sold'])('refuses to move an available pet into %s with 409', async (status) => {
      const pet = await addPet(owner);
      const response = await api<ErrorResponse>('PUT', '/api/v3/pet', { token: owner, json: { ...pet, status } });
      expect(response.status).toBe(409);
      expect(messageOf(response.body)).toContain(`cannot be set to ${status}`);
      expect(((await getPet(pet.id)).body as PetBody).status).toBe('available');
    });

    it('answers 400 naming a field that fails validation', async () => {
      const pet = await addPet(owner);
      const response = await api<ErrorResponse>('PUT', '/api/v3/pet', { token: owner, json: { ...pet, photoUrls: [42] } });
      expect(response.status).toBe(400);
      expect(messageOf(response.body)).toContain('photoUrls');
    });

    it('needs a store owner: 401 without a token, 403 for a customer', async () => {
      const pet = await addPet(owner);
      expect((await api('PUT', '/api/v3/pet', { json: pet })).status).toBe(401);
      expect((await api('PUT', '/api/v3/pet', { token: customer, json: pet })).status).toBe(403);
    });
  });

  describe('updatePetWithForm', () => {
    it('changes the name given as a query parameter', async () => {
      const pet = await addPet(owner);
      const name = unique('form');
      const response = await api<PetBody>('POST', `/api/v3/pet/${pet.id}?name=${name}&status=available`, { token: owner });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ ...pet, name });
    });

    it('refuses a status change into sold with 409 and an unknown status with 400 naming it', async () => {
      const pet = await addPet(owner);
      const sold = await api<ErrorResponse>('POST', `/api/v3/pet/${pet.id}?status=sold`, { token: owner });
      expect(sold.status).toBe(409);
      const bogus = await api<ErrorResponse>('POST', `/api/v3/pet/${pet.id}?status=lost`, { token: owner });
      expect(bogus.status).toBe(400);
      expect(messageOf(bogus.body)).toContain('status must be one of available, pending, sold');
    });

    it('answers 400 when nothing is given, 404 for an unknown pet, 400 for an invalid id', async () => {
      const pet = await addPet(owner);
      expect((await api('POST', `/api/v3/pet/${pet.id}`, { token: owner })).status).toBe(400);
      const id = await unusedPetId(owner);
      expect((await api('POST', `/api/v3/pet/${id}?name=x`, { token: owner })).status).toBe(404);
      expect((await api('POST', `/api/v3/pet/x1?name=x`, { token: owner })).status).toBe(400);
    });

    it('needs a store owner', async () => {
      const pet = await addPet(owner);
      expect((await api('POST', `/api/v3/pet/${pet.id}?name=x`)).status).toBe(401);
      expect((await api('POST', `/api/v3/pet/${pet.id}?name=x`, { token: customer })).status).toBe(403);
    });
  });

  describe('writes under If-Match', () => {
    const entityTagOf = async (id: number): Promise<string> => (await getPet(id)).headers.get('etag') as string;
    const rename = (pet: PetBody, ifMatch: string, name = unique('renamed')) =>
      api<PetBody | ErrorResponse>('PUT', '/api/v3/pet', { token: owner, json: { ...pet, name }, headers: { 'If-Match': ifMatch } });

    it('a pet answers its version as ETag, and every change to it gives a new one, an order reserving it and releasing it too', async () => {
      const pet = await addPet(owner);
      const read = await entityTagOf(pet.id);
      expect(read).toMatch(/^"\d+"$/);
      expect(await entityTagOf(pet.id)).toBe(read);

      const renamed = await api<PetBody>('POST', `/api/v3/pet/${pet.id}?name=${unique('form')}`, { token: owner });
      expect(renamed.headers.get('etag')).not.toBe(read);
      expect(await entityTagOf(pet.id)).toBe(renamed.headers.get('etag'));

      const order = await orderPet(customer, pet.id);
      const reserved = await entityTagOf(pet.id);
      expect(reserved).not.toBe(renamed.headers.get('etag'));
      await cancelOrder(customer, order.id);
      await petBecomes(pet.id, 'available');
      expect(await entityTagOf(pet.id)).not.toBe(reserved);
    });

    it('getPetById answers 304 without a body to an If-None-Match naming the current ETag (weak or strong), and the pet once it changed', async () => {
      const pet = await addPet(owner);
      const read = await entityTagOf(pet.id);
      const readUnder = (ifNoneMatch: string) => api<PetBody | string>('GET', `/api/v3/pet/${pet.id}`, { headers: { 'If-None-Match': ifNoneMatch } });

      for (const held of [read, `W/${read}`, `"0", ${read}`]) {
        const notModified = await readUnder(held);
        expect(notModified.status).toBe(304);
        expect(notModified.body).toBe('');
        expect(notModified.headers.get('etag')).toBe(read);
      }
      expect(await readUnder('"0"')).toMatchObject({ status: 200, body: pet });

      const renamed = await rename(pet, read);
      expect(await readUnder(read)).toMatchObject({ status: 200, body: renamed.body });
      expect((await readUnder(renamed.headers.get('etag') as string)).status).toBe(304);
    });

    it('updatePet changes a pet still at the version read, and answers its new ETag', async () => {
      const pet = await addPet(owner);
      const read = await entityTagOf(pet.id);
      const name = unique('matched');
      const response = await rename(pet, read, name);
      expect(response).toMatchObject({ status: 200, body: { id: pet.id, name } });
      expect(response.headers.get('etag')).not.toBe(read);
      expect(response.headers.get('etag')).toBe(await entityTagOf(pet.id));
      expect((await rename(pet, '*')).status).toBe(200);
    });

    it('updatePet and updatePetWithForm refuse a pet changed since it was read with 412 naming its ETag, changing nothing', async () => {
      const pet = await addPet(owner);
      const read = await entityTagOf(pet.id);
      const changed = await rename(pet, read);
      const current = changed.headers.get('etag') as string;

      const stale = await rename(pet, read);
      expect(stale.status).toBe(412);
      expect(messageOf(stale.body)).toBe(
        `pet ${pet.id} changed since it was read: it is at ${current}, not ${read}; read it again and send the change with its ETag`,
      );
      const staleForm = await api<ErrorResponse>('POST', `/api/v3/pet/${pet.id}?status=available&name=x`, {
        token: owner,
        headers: { 'If-Match': read },
      });
      expect(staleForm.status).toBe(412);
      const weak = await rename(pet, `W/${current}`);
      expect(weak.status).toBe(412);

      expect(await getPet(pet.id)).toMatchObject({ status: 200, body: changed.body });
      expect(await entityTagOf(pet.id)).toBe(current);
    });

    it('deletePet deletes a pet still at the version read, and refuses one changed since with 412, deleting nothing', async () => {
      const pet = await addPet(owner);
      const read = await entityTagOf(pet.id);
      const changed = await rename(pet, read);
      const deleteUnder = (ifMatch: string) =>
        api<ErrorResponse>('DELETE', `/api/v3/pet/${pet.id}`, { token: owner, headers: { 'If-Match': ifMatch } });

      const stale = await deleteUnder(read);
      expect(stale.status).toBe(412);
      expect(messageOf(stale.body)).toContain(`pet ${pet.id} changed since it was read`);
      expect(await getPet(pet.id)).toMatchObject({ status: 200, body: changed.body });

      expect((await deleteUnder(changed.headers.get('etag') as string)).status).toBe(200);
      expect((await getPet(pet.id)).status).toBe(404);
    });

    it('of many updates sent at once under the same If-Match, exactly one is made; the others are 412', async () => {
      const pet = await addPet(owner);
      const read = await entityTagOf(pet.id);
      const names = Array.from({ length: 6 }, (_, index) => unique(`racer-${index}`));
      const answers = await Promise.all(names.map((name) => rename(pet, read, name)));
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412, 412, 412, 412, 412]);
      const winner = answers.find((answer) => answer.status === 200)?.body as PetBody;
      expect(((await getPet(pet.id)).body as PetBody).name).toBe(winner.name);
    });

    it('answers 404 for an unknown pet and 400 naming a malformed If-Match', async () => {
      const id = await unusedPetId(owner);
      const unknown = await api<ErrorResponse>('PUT', '/api/v3/pet', { token: owner, json: newPet({ id }), headers: { 'If-Match': '"1"' } });
      expect(unknown.status).toBe(404);
      const pet = await addPet(owner);
      for (const malformed of ['3', '"3', '*, "3"']) {
        const response = await rename(pet, malformed);
        expect(response.status).toBe(400);
        expect(messageOf(response.body)).toContain('If-Match must be * or a list of entity tags');
      }
      expect((await getPet(pet.id)).body).toEqual(pet);
    });
  });

  describe('findPetsByStatus', () => {
    // The newest pet is on the first page only while fewer pets than a page precede it, and the suites before this one add many.
    const wholePage = `limit=${MAX_PAGE_SIZE}`;

    it('lists each pet as it reads alone, one without a category or tags too', async () => {
      const plain = await addPet(owner, { category: undefined, tags: [] });
      const alone = await getPet(plain.id);
      expect(alone.body).not.toHaveProperty('category');
      const listed = await api<PetBody[]>('GET', `/api/v3/pet/findByStatus?status=available&${wholePage}`);
      expect(listed.body.find((found) => found.id === plain.id)).toStrictEqual(alone.body);
      expect(listed.headers.get('content-type')).toBe('application/json; charset=utf-8');
    });

    it('lists a pet whose name and labels need escaping, its tags and photos in their order, as it reads alone', async () => {
      const [zebra, apple] = [unique('zebra "tag"'), unique('apple \\ tag')];
      const pet = await addPet(owner, {
        name: `Rex "the \\ dog" — café ✓ 🐕 ${unique('')}`,
        category: { name: unique('chiens & chats — ✓') },
        tags: [{ name: zebra }, { name: apple }],
        photoUrls: ['https://images.example.com/b.jpg?x="1"', 'https://images.example.com/a.jpg'],
      });
      const alone = (await getPet(pet.id)).body;
      const byStatus = await api<PetBody[]>('GET', `/api/v3/pet/findByStatus?status=available&${wholePage}`);
      expect(byStatus.body.find((found) => found.id === pet.id)).toStrictEqual(alone);
      const byTags = await api<PetBody[]>('GET', `/api/v3/pet/findByTags?tags=${encodeURIComponent(apple)}`);
      expect(byTags.body).toStrictEqual([alone]);
    });

    it('accepts comma lists and repeated parameters and returns each pet once', async () => {
      const pet = await addPet(owner);
      const response = await api<PetBody[]>(
        'GET',
        `/api/v3/pet/findByStatus?status=available,sold&status=available&status=pending,available&${wholePage}`,
      );
      expect(response.status).toBe(200);
      expect(response.body.filter((found) => found.id === pet.id)).toEqual([pet]);
      const ids = response.body.map((found) => found.id);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('defaults to available and filters by status', async () => {
      const pet = await addPet(owner);
      const byDefault = await api<PetBody[]>('GET', `/api/v3/pet/findByStatus?${wholePage}`);
      expect(byDefault.body.some((found) => found.id === pet.id)).toBe(true);
      expect(byDefault.body.every((found) => found.status === 'available')).toBe(true);
      const sold = await api<PetBody[]>('GET', `/api/v3/pet/findByStatus?status=sold&${wholePage}`);
      expect(sold.body.some((found) => found.id === pet.id)).toBe(false);
    });

    it('answers 400 naming a bad value', async () => {
      const response = await api<ErrorResponse>('GET', '/api/v3/pet/findByStatus?status=available,lost');
      expect(response.status).toBe(400);
      expect(messageOf(response.body)).toContain("'lost'");
    });
  });

  describe('findPetsByTags', () => {
    it('finds pets carrying any of the tags, each once, from comma lists and repeated parameters', async () => {
      const [red, blue] = [unique('red'), unique('blue')];
      const both = await addPet(owner, { tags: [{ name: red }, { name: blue }] });
      const onlyBlue = await addPet(owner, { tags: [{ name: blue }] });
      await addPet(owner, { tags: [{ name: unique('green') }] });

      const response = await api<PetBody[]>('GET', `/api/v3/pet/findByTags?tags=${red},${blue}&tags=${red}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual([both, onlyBlue]);
    });

    it('answers an empty list without tags and 400 naming a tag that is too long', async () => {
      expect((await api<PetBody[]>('GET', '/api/v3/pet/findByTags')).body).toEqual([]);
      const long = 't'.repeat(101);
      const response = await api<ErrorResponse>('GET', `/api/v3/pet/findByTags?tags=${long}`);
      expect(response.status).toBe(400);
      expect(messageOf(response.body)).toContain(long);
    });
  });

  describe('deletePet', () => {
    it('deletes an available pet; afterwards it is 404, and deleting it again is 404, not 200', async () => {
      const pet = await addPet(owner);
      const deleted = await api('DELETE', `/api/v3/pet/${pet.id}`, { token: owner, headers: { api_key: 'ignored' } });
      expect(deleted.status).toBe(200);
      expect((await getPet(pet.id)).status).toBe(404);
      const again = await api<ErrorResponse>('DELETE', `/api/v3/pet/${pet.id}`, { token: owner });
      expect(again.status).toBe(404);
      expect(messageOf(again.body)).toBe(`pet ${pet.id} not found`);
    });

    describe('sent again under the same Idempotency-Key', () => {
      const deleteUnderKey = (petId: number, key: string) =>
        api<ErrorResponse>('DELETE', `/api/v3/pet/${petId}`, { token: owner, headers: { 'Idempotency-Key': key } });

      it('answers 200 as the first did, where a send without the key is 404, and refuses the key for another pet with 422', async () => {
        const pet = await addPet(owner);
        const other = await addPet(owner);
        const key = randomUUID();

        expect((await deleteUnderKey(pet.id, key)).status).toBe(200);
        expect((await deleteUnderKey(pet.id, key)).status).toBe(200);
        expect((await api('DELETE', `/api/v3/pet/${pet.id}`, { token: owner })).status).toBe(404);
        const reused = await deleteUnderKey(other.id, key);
        expect(reused.status).toBe(422);
        expect(messageOf(reused.body)).toContain(`Idempotency-Key '${key}' was sent before with a different request`);
        expect((await getPet(other.id)).status).toBe(200);
      });

      it('keeps no key for a refused delete: a pending pet refused with 409 is deleted under the same key once its order is cancelled', async () => {
        const pet = await addPet(owner);
        const order = await orderPet(customer, pet.id);
        const key = randomUUID();

        expect((await deleteUnderKey(pet.id, key)).status).toBe(409);
        expect((await cancelOrder(customer, order.id)).status).toBe(200);
        await petBecomes(pet.id, 'available');
        expect((await deleteUnderKey(pet.id, key)).status).toBe(200);
        expect((await getPet(pet.id)).status).toBe(404);
      });
    });

    it('answers 400 for an invalid id and needs a store owner', async () => {
      expect((await api('DELETE', '/api/v3/pet/0', { token: owner })).status).toBe(400);
      const pet = await addPet(owner);
      expect((await api('DELETE', `/api/v3/pet/${pet.id}`)).status).toBe(401);
      expect((await api('DELETE', `/api/v3/pet/${pet.id}`, { token: customer })).status).toBe(403);
      expect((await getPet(pet.id)).status).toBe(200);
    });

    it('lets a deleted pet id be used again, continuing its version', async () => {
      const pet = await addPet(owner);
      await api('DELETE', `/api/v3/pet/${pet.id}`, { token: owner });
      const again = await api<PetBody>('POST', '/api/v3/pet', { token: owner, json: newPet({ id: pet.id }) });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(pet.id);
    });
  });

  describe('pet-events', () => {
    let observer: TopicObserver;

    beforeAll(async () => {
      observer = await TopicObserver.start(['pet-events']);
    });

    afterAll(async () => {
      await observer.stop();
    });

    it('publishes PET_CREATED, PET_UPDATED and PET_DELETED with the envelope, keyed by the pet id, in order', async () => {
      const pet = await addPet(owner);
      const renamed = (await api<PetBody>('POST', `/api/v3/pet/${pet.id}?name=${unique('renamed')}`, { token: owner })).body;
      await api('DELETE', `/api/v3/pet/${pet.id}`, { token: owner });

      const messages = await observer.waitFor((message) => message.key === String(pet.id), 3);
      const envelopes = messages.map((message) => message.value as Envelope);
      expect(envelopes.map((envelope) => [envelope.type, envelope.aggregateVersion])).toEqual([
        ['PET_CREATED', 1],
        ['PET_UPDATED', 2],
        ['PET_DELETED', 3],
      ]);
      for (const envelope of envelopes) {
        expect(envelope).toEqual({
          eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          type: expect.any(String),
          schemaVersion: 1,
          occurredAt: expect.any(String),
          aggregateId: String(pet.id),
          aggregateVersion: expect.any(Number),
          correlationId: expect.any(String),
          payload: expect.objectContaining({ id: pet.id }),
        });
      }
      expect(envelopes[0].payload).toEqual({ ...pet, reservedByOrderId: null });
      expect(envelopes[1].payload).toEqual({ ...renamed, reservedByOrderId: null });
      expect(envelopes[2].payload).toEqual({ ...renamed, reservedByOrderId: null });
      expect(new Set(messages.map((message) => message.partition)).size).toBe(1);
    });

    it('publishes nothing for a refused write', async () => {
      const pet = await addPet(owner);
      expect((await api('PUT', '/api/v3/pet', { token: owner, json: { ...pet, status: 'sold' } })).status).toBe(409);
      const name = unique('after');
      await api('POST', `/api/v3/pet/${pet.id}?name=${name}`, { token: owner });
      const messages = await observer.waitFor((message) => message.key === String(pet.id), 2);
      expect(
        messages.map((message) => {
          const envelope = message.value as Envelope<{ name: string; status: string }>;
          return [envelope.type, envelope.aggregateVersion, envelope.payload.name, envelope.payload.status];
        }),
      ).toEqual([
        ['PET_CREATED', 1, pet.name, 'available'],
        ['PET_UPDATED', 2, name, 'available'],
      ]);
    });
  });

  describe('Swagger', () => {
    it('documents every pet operation with its schemas and error responses', async () => {
      const response = await api<{
        paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
        components: { schemas: Record<string, unknown> };
      }>('GET', '/docs-json');
      const operations = Object.values(response.body.paths).flatMap((methods) => Object.values(methods));
      const byId = new Map(operations.map((operation) => [operation.operationId, operation]));
      for (const operationId of [
        'addPet',
        'updatePet',
        'findPetsByStatus',
        'findPetsByTags',
        'getPetById',
        'updatePetWithForm',
        'deletePet',
        'uploadFile',
      ]) {
        expect(byId.has(operationId)).toBe(true);
        expect(Object.keys(byId.get(operationId)?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400']));
      }
      expect(Object.keys(byId.get('addPet')?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403', '409', '413', '422', '503']));
      for (const operationId of ['updatePet', 'updatePetWithForm', 'deletePet']) {
        const write = byId.get(operationId) as unknown as {
          parameters: { name: string; in: string; required: boolean }[];
          responses: Record<string, unknown>;
        };
        expect(write.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', in: 'header', required: false }));
        expect(write.responses).toMatchObject({ '412': expect.anything() });
      }
      for (const operationId of ['getPetById', 'updatePet', 'updatePetWithForm']) {
        expect(byId.get(operationId)?.responses).toMatchObject({ '200': { headers: { ETag: expect.anything() } } });
      }
      const read = byId.get('getPetById') as unknown as { parameters: { name: string; in: string }[]; responses: Record<string, unknown> };
      expect(read.parameters).toContainEqual(expect.objectContaining({ name: 'If-None-Match', in: 'header' }));
      expect(read.responses).toMatchObject({ '304': expect.anything() });
      expect((byId.get('addPet') as unknown as { parameters: { name: string; in: string; required: boolean }[] }).parameters).toEqual([
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
      ]);
      const upload = byId.get('uploadFile') as unknown as { requestBody: { content: Record<string, unknown> }; responses: Record<string, unknown> };
      expect(Object.keys(upload.requestBody.content)).toEqual(['application/octet-stream']);
      expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['413', '415']));
      expect(response.body.components.schemas).toEqual(
        expect.objectContaining({ Pet: expect.anything(), Category: expect.anything(), Tag: expect.anything() }),
      );
    });
  });
});
