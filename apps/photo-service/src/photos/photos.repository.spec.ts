import { DataSource, EntityManager } from 'typeorm';
import { PhotosRepository } from './photos.repository';

const BYTES = Buffer.from('png');

/** A repository whose every statement answers `answer`, as TypeORM's query() gives it. */
function setUp(answer: unknown) {
  const query = jest.fn().mockResolvedValue(answer);
  return { photos: new PhotosRepository({ query } as unknown as DataSource), query };
}

describe('PhotosRepository', () => {
  it('registers the external URLs in one statement', async () => {
    const { photos, query } = setUp([]);
    await photos.registerExternal(5, 3, ['https://a.example/1.jpg']);
    expect(query).toHaveBeenCalledWith(expect.stringContaining("SELECT $1, $2, 'external', url"), [5, 3, ['https://a.example/1.jpg']]);
  });

  it('stores an upload as one, and answers its id as a number', async () => {
    const { photos, query } = setUp([{ id: '17' }]);
    const upload = { petId: 5, petVersion: 2, contentType: 'image/png', sizeBytes: 3, sha256: 'ab', additionalMetadata: null, data: BYTES };
    expect(await photos.insertUpload(upload)).toBe(17);
    expect(query).toHaveBeenCalledWith(expect.stringContaining("VALUES ($1, $2, 'upload'"), [5, 2, 'image/png', 3, 'ab', null, BYTES]);
  });

  it('reads an upload of the pet with its ids as numbers, or null', async () => {
    const { photos, query } = setUp([{ id: '17', petId: '5', contentType: 'image/png', sizeBytes: 3, sha256: 'ab' }]);
    expect(await photos.findUploaded(5, 17)).toEqual({ id: 17, petId: 5, contentType: 'image/png', sizeBytes: 3, sha256: 'ab' });
    expect(query).toHaveBeenCalledWith(expect.stringContaining("WHERE id = $1 AND pet_id = $2 AND source = 'upload'"), [17, 5]);
    query.mockResolvedValue([]);
    expect(await photos.findUploaded(5, 18)).toBeNull();
  });

  it('says whether a delete found the photo, from the [rows, affected] Postgres answers', async () => {
    const { photos, query } = setUp([[], 1]);
    expect(await photos.delete(5, 17)).toBe(true);
    expect(query).toHaveBeenCalledWith(expect.stringContaining('WHERE id = $1 AND pet_id = $2'), [17, 5]);
    query.mockResolvedValue([[], 0]);
    expect(await photos.delete(5, 17)).toBe(false);
  });

  it('on PET_DELETED removes, in the consumer’s transaction, only the photos registered before the deletion', async () => {
    const { photos } = setUp(undefined);
    const query = jest.fn().mockResolvedValue([[], 2]);
    expect(await photos.deleteRegisteredBefore({ query } as unknown as EntityManager, 5, 4)).toBe(2);
    expect(query).toHaveBeenCalledWith(expect.stringContaining('WHERE pet_id = $1 AND pet_version < $2'), [5, 4]);
  });
});
