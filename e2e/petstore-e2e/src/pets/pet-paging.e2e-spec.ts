import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@petstore/dto';
import { api } from '../support/api';
import { storeOwnerToken } from '../support/users';
import { addPet, messageOf, PetBody, unique } from './support/pets';

describe('findPetsByStatus and findPetsByTags answer one bounded page at a time', () => {
  const tag = unique('paged');
  let ids: number[];

  beforeAll(async () => {
    const token = await storeOwnerToken();
    ids = [];
    // One more than a page, so a client that sends no paging parameters sees the bound.
    for (let i = 0; i <= DEFAULT_PAGE_SIZE; i++) ids.push((await addPet(token, { photoUrls: [], tags: [{ name: tag }] })).id);
    ids.sort((a, b) => a - b);
  });

  const idsOf = (body: unknown) => (body as PetBody[]).map((pet) => pet.id);

  it(`gives a client that sends no paging parameters the first ${DEFAULT_PAGE_SIZE}, by ascending id`, async () => {
    const response = await api<PetBody[]>('GET', `/api/v3/pet/findByTags?tags=${tag}`);
    expect(response.status).toBe(200);
    expect(idsOf(response.body)).toEqual(ids.slice(0, DEFAULT_PAGE_SIZE));
  });

  it('gives the rest with offset, and a short page at the end', async () => {
    const response = await api<PetBody[]>('GET', `/api/v3/pet/findByTags?tags=${tag}&offset=${DEFAULT_PAGE_SIZE}`);
    expect(idsOf(response.body)).toEqual(ids.slice(DEFAULT_PAGE_SIZE));
  });

  it('walks every match exactly once in pages of limit', async () => {
    const seen: number[] = [];
    for (let offset = 0; ; offset += 30) {
      const page = idsOf((await api('GET', `/api/v3/pet/findByTags?tags=${tag}&limit=30&offset=${offset}`)).body);
      seen.push(...page);
      if (page.length < 30) break;
    }
    expect(seen).toEqual(ids);
  });

  it('pages findByStatus the same way', async () => {
    const first = await api<PetBody[]>('GET', '/api/v3/pet/findByStatus?status=available&limit=2');
    const second = await api<PetBody[]>('GET', '/api/v3/pet/findByStatus?status=available&limit=2&offset=1');
    expect(first.body).toHaveLength(2);
    expect(idsOf(second.body)[0]).toBe(idsOf(first.body)[1]);
  });

  it.each([
    ['limit=0', 'limit must not be less than 1'],
    [`limit=${MAX_PAGE_SIZE + 1}`, `limit must not be greater than ${MAX_PAGE_SIZE}`],
    ['limit=ten', 'limit must be an integer number'],
    ['offset=-1', 'offset must not be less than 0'],
    ['limit=0x10', 'limit must be an integer number'],
    ['offset=1e30', 'offset must be an integer number'],
    ['offset=99999999999999999999', `offset must not be greater than ${Number.MAX_SAFE_INTEGER}`],
  ])('answers 400 naming the parameter for %s', async (parameter, message) => {
    for (const path of [`/api/v3/pet/findByTags?tags=${tag}&${parameter}`, `/api/v3/pet/findByStatus?status=available&${parameter}`]) {
      const response = await api('GET', path);
      expect(response.status).toBe(400);
      expect(messageOf(response.body)).toContain(message);
    }
  });
});
