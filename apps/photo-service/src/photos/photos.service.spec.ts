import { NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PhotosRepository } from './photos.repository';
import { PhotosService } from './photos.service';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function setUp() {
  const repository = {
    registerExternal: jest.fn(),
    insertUpload: jest.fn(),
    findUploaded: jest.fn(),
    bytesOf: jest.fn(),
    delete: jest.fn(),
    deleteRegisteredBefore: jest.fn(),
    unconfirmUploadsBut: jest.fn(),
  };
  return { service: new PhotosService(repository as unknown as PhotosRepository), repository };
}

describe('PhotosService', () => {
  it('registers each external URL once, skipping the URLs of the pet’s own uploads', async () => {
    const { service, repository } = setUp();
    const result = await service.register(5, {
      petVersion: 3,
      urls: ['https://a.example/1.jpg', '/api/v3/pet/5/photos/9', 'https://a.example/1.jpg', '/api/v3/pet/6/photos/9'],
    });
    expect(result).toEqual({ registered: 2 });
    expect(repository.registerExternal).toHaveBeenCalledWith(5, 3, ['https://a.example/1.jpg', '/api/v3/pet/6/photos/9']);
  });

  it('stores an upload with its sniffed type and hash, and answers its URL and ETag', async () => {
    const { service, repository } = setUp();
    repository.insertUpload.mockResolvedValue(17);
    const stored = await service.upload(5, PNG, { petVersion: 2, additionalMetadata: 'front' });
    expect(repository.insertUpload).toHaveBeenCalledWith(
      expect.objectContaining({ petId: 5, petVersion: 2, contentType: 'image/png', sizeBytes: PNG.length, data: PNG, additionalMetadata: 'front' }),
    );
    expect(stored).toEqual({
      id: 17,
      petId: 5,
      url: '/api/v3/pet/5/photos/17',
      contentType: 'image/png',
      size: PNG.length,
      etag: expect.stringMatching(/^"[0-9a-f]{64}"$/),
    });
  });

  it('answers 404 for a photo that is not an upload of that pet', async () => {
    const { service, repository } = setUp();
    repository.findUploaded.mockResolvedValue(null);
    await expect(service.findUploaded(5, 17)).rejects.toThrow(new NotFoundException('photo 17 of pet 5 not found'));
  });

  it("on PET_UPDATED has the pet's uploads checked again, but those its photoUrls still list", async () => {
    const { service, repository } = setUp();
    const manager = {} as EntityManager;
    await service.checkAgainUnlessListed(manager, 5, ['/api/v3/pet/5/photos/9', 'https://a.example/1.jpg', '/api/v3/pet/6/photos/10']);
    expect(repository.unconfirmUploadsBut).toHaveBeenCalledWith(manager, 5, [9]);
  });

  it('on PET_DELETED removes only the photos registered before the deletion', async () => {
    const { service, repository } = setUp();
    const manager = { query: jest.fn() } as unknown as EntityManager;
    repository.deleteRegisteredBefore.mockResolvedValue(2);
    expect(await service.removePetPhotos(manager, 5, 4)).toBe(2);
    expect(repository.deleteRegisteredBefore).toHaveBeenCalledWith(manager, 5, 4);
  });
});
