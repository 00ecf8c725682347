import { ServiceUnavailableException } from '@nestjs/common';
import { ServiceClient, ServiceErrorException } from '@petstore/platform';
import { PhotosRepository } from './photos.repository';
import { UNLISTED_UPLOAD_GRACE_SECONDS, UnlistedUploads } from './unlisted-uploads';

function setUp(uploads: { id: number; petId: number }[], answers: Record<number, string[] | Error>) {
  const photos = {
    unconfirmedUploads: jest.fn(async () => uploads),
    markListed: jest.fn(),
    deleteUnconfirmed: jest.fn(async (ids: number[]) => ids.length),
  };
  const petService = {
    json: jest.fn(async ({ path }: { path: string }) => {
      const answer = answers[Number(/\/pets\/(\d+)\//.exec(path)?.[1])];
      if (answer instanceof Error) throw answer;
      return { photoUrls: answer };
    }),
  };
  const check = new UnlistedUploads(photos as unknown as PhotosRepository, petService as unknown as ServiceClient);
  return { check, photos, petService };
}

describe('UnlistedUploads', () => {
  it('confirms the uploads their pet lists and deletes the ones it does not, asking pet-service once per pet', async () => {
    const { check, photos, petService } = setUp(
      [
        { id: 11, petId: 5 },
        { id: 12, petId: 5 },
        { id: 13, petId: 6 },
      ],
      { 5: ['/api/v3/pet/5/photos/11', 'https://example.com/a.png'], 6: ['/api/v3/pet/6/photos/13'] },
    );

    await check.check();

    expect(photos.unconfirmedUploads).toHaveBeenCalledWith(UNLISTED_UPLOAD_GRACE_SECONDS, expect.any(Number));
    expect(petService.json.mock.calls.map(([request]) => request.path)).toEqual(['/pets/5/photo-urls', '/pets/6/photo-urls']);
    expect(photos.markListed.mock.calls).toEqual([[[11]], [[13]]]);
    expect(photos.deleteUnconfirmed.mock.calls).toEqual([[[12]]]);
  });

  it("deletes the uploads of a pet that is gone (pet-service's 404)", async () => {
    const { check, photos } = setUp([{ id: 21, petId: 8 }], { 8: new ServiceErrorException('pet-service', 404, 'pet 8 not found', null) });

    await check.check();

    expect(photos.deleteUnconfirmed).toHaveBeenCalledWith([21]);
    expect(photos.markListed).not.toHaveBeenCalled();
  });

  it('fails the pass, deleting nothing of that pet, while pet-service is away; the uploads stay for the next pass', async () => {
    const { check, photos } = setUp([{ id: 31, petId: 9 }], { 9: new ServiceUnavailableException('pet-service is unreachable; try again later') });

    await expect(check.check()).rejects.toThrow('purging expired unlisted uploads failed: pet-service is unreachable');
    expect(photos.deleteUnconfirmed).not.toHaveBeenCalled();
    expect(photos.markListed).not.toHaveBeenCalled();
  });
});
