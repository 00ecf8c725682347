import { PetStatus } from '@petstore/contracts';
import { PetVersion } from '@petstore/dto';
import { countReadModelCheck, ReadModel, ServiceClient } from '@petstore/platform';
import { DeletedPetPhotos } from './deleted-pet-photos';
import { PhotosRepository } from './photos.repository';

jest.mock('@petstore/platform', () => ({ ...jest.requireActual('@petstore/platform'), countReadModelCheck: jest.fn() }));

describe('DeletedPetPhotos', () => {
  beforeEach(() => jest.mocked(countReadModelCheck).mockClear());

  it('deletes the photos of every pet pet-service lists as deleted, registered before the version it was deleted at', async () => {
    const pets: PetVersion[] = [
      { id: 3, status: PetStatus.Available, version: 2, deleted: false },
      { id: 5, status: null, version: 4, deleted: true },
      { id: 8, status: null, version: 9, deleted: true },
    ];
    const photos = { deleteRegisteredBeforeDeletions: jest.fn(async () => 2) };
    const petService = { json: jest.fn(async () => pets) };

    await new DeletedPetPhotos(photos as unknown as PhotosRepository, petService as unknown as ServiceClient).purge();

    expect(petService.json).toHaveBeenCalledWith(expect.objectContaining({ path: '/pets/versions' }));
    expect(photos.deleteRegisteredBeforeDeletions).toHaveBeenCalledWith([
      { petId: 5, version: 4 },
      { petId: 8, version: 9 },
    ]);
    expect(countReadModelCheck).toHaveBeenCalledWith(ReadModel.PhotosOfDeletedPets, 'completed', 2);
  });

  it('fails the pass, naming what it purged, with pet-service away', async () => {
    const petService = { json: jest.fn(async () => Promise.reject(new Error('pet-service is unreachable'))) };
    const purge = new DeletedPetPhotos({} as PhotosRepository, petService as unknown as ServiceClient).purge();
    await expect(purge).rejects.toThrow('purging expired photos of deleted pets failed: pet-service is unreachable');
    expect(countReadModelCheck).toHaveBeenCalledWith(ReadModel.PhotosOfDeletedPets, 'failed', 0);
  });
});
