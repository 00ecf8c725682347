import { BadRequestException, ConflictException, HttpException, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { PetEventType, PetStatus } from '@petstore/contracts';
import { Pet } from '@petstore/dto';
import { VersionPrecondition } from '@petstore/platform';
import type { IdempotentRequest, IdempotentRequests } from '@petstore/platform/database';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { PhotoRegistry } from '../photos/photo-registry';
import { LabelsRepository } from './labels.repository';
import { PetOutbox } from './pet-outbox';
import { PetRecord } from './pet-record';
import { PetsRepository } from './pets.repository';
import { PetsService } from './pets.service';

const manager = {} as EntityManager;

function record(overrides: Partial<PetRecord> = {}): PetRecord {
  return {
    id: 7,
    name: 'doggie',
    status: PetStatus.Available,
    version: 1,
    category: { id: 1, name: 'Dogs' },
    tags: [{ id: 3, name: 'friendly' }],
    photoUrls: ['https://images.example.com/a.jpg'],
    reservedByOrderId: null,
    ...overrides,
  };
}

function setUp() {
  const pets = {
    transaction: jest.fn((work: (m: EntityManager) => Promise<unknown>) => work(manager)),
    findById: jest.fn(),
    lockById: jest.fn(),
    insert: jest.fn(),
    update: jest.fn(),
    replaceTags: jest.fn(),
    deleteUnreserved: jest.fn(),
    writeTombstone: jest.fn(),
    appendPhotoUrl: jest.fn(),
  };
  const labels = {
    resolve: jest.fn(async (_m: EntityManager, _kind: string, ref: { id?: number; name?: string }) => ({
      id: ref.id ?? 1,
      name: ref.name ?? 'Dogs',
    })),
    resolveAll: jest.fn(async () => [{ id: 3, name: 'friendly' }]),
  };
  const photos = { register: jest.fn(), store: jest.fn(), discard: jest.fn() };
  const outbox = { append: jest.fn() };
  const idempotentRequests = {
    once: jest.fn((_m: EntityManager, _request: IdempotentRequest, write: () => Promise<unknown>) => write()),
    recorded: jest.fn(async (): Promise<{ answer: unknown } | undefined> => undefined),
  };
  const service = new PetsService(
    pets as unknown as PetsRepository,
    labels as unknown as LabelsRepository,
    photos as unknown as PhotoRegistry,
    outbox as unknown as PetOutbox,
    idempotentRequests as unknown as IdempotentRequests,
  );
  return { service, pets, labels, photos, outbox, idempotentRequests };
}

const input: Pet = {
  name: 'doggie',
  category: { name: 'Dogs' },
  photoUrls: ['https://images.example.com/a.jpg', 'https://images.example.com/a.jpg'],
  tags: [{ name: 'friendly' }],
};

describe('PetsService', () => {
  describe('create', () => {
    it('registers the photos before the pet commits and records PET_CREATED in the same transaction', async () => {
      const { service, pets, photos, outbox } = setUp();
      pets.insert.mockResolvedValue({ id: 7, version: 1 });
      pets.findById.mockResolvedValue(record());

      const pet = await service.create(input);

      expect(pets.insert).toHaveBeenCalledWith(manager, {
        id: undefined,
        name: 'doggie',
        status: PetStatus.Available,
        categoryId: 1,
        photoUrls: ['https://images.example.com/a.jpg'],
      });
      expect(photos.register).toHaveBeenCalledWith(7, 1, ['https://images.example.com/a.jpg']);
      expect(outbox.append).toHaveBeenCalledWith(manager, PetEventType.PetCreated, record());
      expect(pets.transaction).toHaveBeenCalledTimes(1);
      expect(pet).toEqual({
        id: 7,
        name: 'doggie',
        category: { id: 1, name: 'Dogs' },
        photoUrls: ['https://images.example.com/a.jpg'],
        tags: [{ id: 3, name: 'friendly' }],
        status: PetStatus.Available,
      });
    });

    it('under an Idempotency-Key, makes the pet in the transaction that records the key, for that user', async () => {
      const { service, pets, outbox, idempotentRequests } = setUp();
      pets.insert.mockResolvedValue({ id: 7, version: 1 });
      pets.findById.mockResolvedValue(record());

      const pet = await service.create(input, { key: 'k-1', userId: 3 });

      expect(idempotentRequests.once).toHaveBeenCalledWith(
        manager,
        { operation: 'addPet', key: 'k-1', userId: 3, body: input },
        expect.any(Function),
      );
      expect(outbox.append).toHaveBeenCalledWith(manager, PetEventType.PetCreated, record());
      expect(pet).toMatchObject({ id: 7, name: 'doggie' });
    });

    it('answers the pet a key recorded, creating nothing, when the key names a committed request', async () => {
      const { service, pets, outbox, idempotentRequests } = setUp();
      idempotentRequests.once.mockResolvedValue({ id: 5, name: 'doggie', photoUrls: [], tags: [], status: PetStatus.Available });

      expect(await service.create(input, { key: 'k-1', userId: 3 })).toMatchObject({ id: 5 });
      expect(pets.insert).not.toHaveBeenCalled();
      expect(outbox.append).not.toHaveBeenCalled();
    });

    it('refuses a taken id with 409 instead of overwriting', async () => {
      const { service, pets, outbox } = setUp();
      pets.insert.mockResolvedValue(undefined);
      await expect(service.create({ ...input, id: 7 })).rejects.toThrow(
        new ConflictException('pet 7 already exists: omit the id to have one assigned, or change the pet with PUT /pet'),
      );
      expect(outbox.append).not.toHaveBeenCalled();
    });

    it('assigns an id when the client sends 0', async () => {
      const { service, pets } = setUp();
      pets.insert.mockResolvedValue({ id: 7, version: 1 });
      pets.findById.mockResolvedValue(record());
      await service.create({ ...input, id: 0 });
      expect(pets.insert).toHaveBeenCalledWith(manager, expect.objectContaining({ id: undefined }));
    });

    it('refuses a new pet that is pending or sold', async () => {
      const { service, pets } = setUp();
      await expect(service.create({ ...input, status: PetStatus.Sold })).rejects.toBeInstanceOf(ConflictException);
      expect(pets.transaction).not.toHaveBeenCalled();
    });

    it('fails, publishing nothing, when photo-service cannot register the photos', async () => {
      const { service, pets, photos, outbox } = setUp();
      pets.insert.mockResolvedValue({ id: 7, version: 1 });
      photos.register.mockRejectedValue(new HttpException('photo-service is unreachable', 503));
      await expect(service.create(input)).rejects.toMatchObject({ status: 503 });
      expect(outbox.append).not.toHaveBeenCalled();
    });
  });

  describe('update', () => {
    it('needs an id', async () => {
      const { service } = setUp();
      await expect(service.update(input)).rejects.toBeInstanceOf(BadRequestException);
    });

    it('answers 404 for an unknown pet', async () => {
      const { service, pets } = setUp();
      pets.lockById.mockResolvedValue(undefined);
      await expect(service.update({ ...input, id: 7 })).rejects.toThrow(new NotFoundException('pet 7 not found'));
    });

    it('registers only the photo URLs the pet did not list, at the version the change will have', async () => {
      const { service, pets, photos, outbox } = setUp();
      pets.lockById.mockResolvedValue(record({ version: 4 }));
      pets.findById.mockResolvedValue(record({ version: 5 }));
      await service.update({ ...input, id: 7, photoUrls: ['https://images.example.com/a.jpg', 'https://images.example.com/b.jpg'] });
      expect(photos.register).toHaveBeenCalledWith(7, 5, ['https://images.example.com/b.jpg']);
      expect(pets.update).toHaveBeenCalledWith(manager, 7, expect.objectContaining({ status: PetStatus.Available }));
      expect(outbox.append).toHaveBeenCalledWith(manager, PetEventType.PetUpdated, record({ version: 5 }));
    });

    it('refuses to move a reserved pet out of pending, and keeps it pending when no status is given', async () => {
      const { service, pets } = setUp();
      pets.lockById.mockResolvedValue(record({ status: PetStatus.Pending, reservedByOrderId: 9 }));
      await expect(service.update({ ...input, id: 7, status: PetStatus.Available })).rejects.toThrow(
        'pet 7 is pending (reserved by order 9): only the order lifecycle changes its status',
      );
      pets.findById.mockResolvedValue(record({ status: PetStatus.Pending, reservedByOrderId: 9 }));
      await service.update({ ...input, id: 7 });
      expect(pets.update).toHaveBeenCalledWith(manager, 7, expect.objectContaining({ status: PetStatus.Pending }));
    });
  });

  describe('update under If-Match', () => {
    it('refuses a pet at another version with 412 before registering any photo or changing anything', async () => {
      const { service, pets, photos, outbox } = setUp();
      pets.lockById.mockResolvedValue(record({ version: 6 }));
      const change = { ...input, id: 7, photoUrls: ['https://images.example.com/new.jpg'] };
      await expect(service.update(change, VersionPrecondition.parse('W/"6", "5"'))).rejects.toBeInstanceOf(PreconditionFailedException);
      expect(photos.register).not.toHaveBeenCalled();
      expect(pets.update).not.toHaveBeenCalled();
      expect(outbox.append).not.toHaveBeenCalled();
    });

    it('answers 404, not 412, for a pet that does not exist', async () => {
      const { service, pets } = setUp();
      pets.lockById.mockResolvedValue(undefined);
      await expect(service.update({ ...input, id: 7 }, VersionPrecondition.parse('"1"'))).rejects.toBeInstanceOf(NotFoundException);
    });

    it('changes a pet at any version for *, answering the version the change made', async () => {
      const { service, pets } = setUp();
      pets.lockById.mockResolvedValue(record({ version: 6 }));
      pets.findById.mockResolvedValue(record({ version: 7 }));
      expect(await service.update({ ...input, id: 7 }, VersionPrecondition.parse('*'))).toEqual({
        resource: expect.objectContaining({ id: 7 }),
        version: 7,
      });
    });
  });

  describe('updateWithForm', () => {
    it('needs a name or a status', async () => {
      const { service } = setUp();
      await expect(service.updateWithForm(7, {})).rejects.toBeInstanceOf(BadRequestException);
    });

    it('changes only what is given', async () => {
      const { service, pets } = setUp();
      pets.lockById.mockResolvedValue(record());
      pets.findById.mockResolvedValue(record({ name: 'rex', version: 2 }));
      const pet = await service.updateWithForm(7, { name: 'rex' });
      expect(pets.update).toHaveBeenCalledWith(manager, 7, {
        name: 'rex',
        status: PetStatus.Available,
        categoryId: 1,
        photoUrls: ['https://images.example.com/a.jpg'],
      });
      expect(pet).toEqual({ resource: expect.objectContaining({ name: 'rex' }), version: 2 });
    });

    it('given If-Match, changes a pet still at a version it names, and refuses one at another with 412, changing nothing', async () => {
      const { service, pets, outbox } = setUp();
      pets.lockById.mockResolvedValue(record({ version: 4 }));
      pets.findById.mockResolvedValue(record({ name: 'rex', version: 5 }));
      expect((await service.updateWithForm(7, { name: 'rex' }, VersionPrecondition.parse('"3", "4"'))).version).toBe(5);

      pets.update.mockClear();
      outbox.append.mockClear();
      await expect(service.updateWithForm(7, { name: 'max' }, VersionPrecondition.parse('"3"'))).rejects.toThrow(
        new PreconditionFailedException('pet 7 changed since it was read: it is at "4", not "3"; read it again and send the change with its ETag'),
      );
      expect(pets.update).not.toHaveBeenCalled();
      expect(outbox.append).not.toHaveBeenCalled();
    });
  });

  describe('delete', () => {
    it('records PET_DELETED one version past the pet and leaves a tombstone', async () => {
      const { service, pets, outbox } = setUp();
      pets.deleteUnreserved.mockResolvedValue(record({ version: 3 }));
      await service.delete(7);
      expect(pets.writeTombstone).toHaveBeenCalledWith(manager, 7, 4);
      expect(outbox.append).toHaveBeenCalledWith(manager, PetEventType.PetDeleted, record({ version: 3 }), { version: 4 });
    });

    it('answers 409 naming the order for a pending pet and 404 for an unknown one', async () => {
      const { service, pets } = setUp();
      pets.deleteUnreserved.mockResolvedValue(undefined);
      pets.findById.mockResolvedValueOnce(record({ status: PetStatus.Pending, reservedByOrderId: 9 }));
      await expect(service.delete(7)).rejects.toThrow(new ConflictException('pet 7 cannot be deleted: it is pending (reserved by order 9)'));
      pets.findById.mockResolvedValueOnce(undefined);
      await expect(service.delete(7)).rejects.toBeInstanceOf(NotFoundException);
    });

    it('given If-Match, deletes a pet still at a version it names, and refuses one at another with 412, deleting nothing', async () => {
      const { service, pets, outbox } = setUp();
      pets.lockById.mockResolvedValue(record({ version: 3 }));
      await expect(service.delete(7, undefined, VersionPrecondition.parse('"2"'))).rejects.toBeInstanceOf(PreconditionFailedException);
      expect(pets.deleteUnreserved).not.toHaveBeenCalled();
      expect(outbox.append).not.toHaveBeenCalled();

      pets.deleteUnreserved.mockResolvedValue(record({ version: 3 }));
      await service.delete(7, undefined, VersionPrecondition.parse('"3"'));
      expect(pets.lockById).toHaveBeenCalledWith(manager, 7);
      expect(pets.writeTombstone).toHaveBeenCalledWith(manager, 7, 4);
    });

    it('tries again when the pet was released between the delete and the check', async () => {
      const { service, pets } = setUp();
      pets.deleteUnreserved.mockResolvedValueOnce(undefined).mockResolvedValueOnce(record());
      pets.findById.mockResolvedValueOnce(record());
      await service.delete(7);
      expect(pets.deleteUnreserved).toHaveBeenCalledTimes(2);
    });

    it('under an Idempotency-Key, deletes in the transaction that records the key, and refuses there too, so a refusal keeps no key', async () => {
      const { service, pets, idempotentRequests } = setUp();
      pets.deleteUnreserved.mockResolvedValueOnce(record()).mockResolvedValueOnce(undefined);
      await service.delete(7, { key: 'k-1', userId: 3 });
      expect(idempotentRequests.once).toHaveBeenCalledWith(
        manager,
        { operation: 'deletePet', key: 'k-1', userId: 3, body: { petId: 7 } },
        expect.any(Function),
      );

      pets.findById.mockResolvedValueOnce(undefined);
      await expect(service.delete(7, { key: 'k-2', userId: 3 })).rejects.toBeInstanceOf(NotFoundException);
      expect(pets.findById).toHaveBeenCalledWith(7, manager);
    });

    it('under an Idempotency-Key the pet was deleted with, answers as deleted without deleting again', async () => {
      const { service, pets, outbox, idempotentRequests } = setUp();
      idempotentRequests.once.mockResolvedValueOnce(undefined);
      await service.delete(7, { key: 'k-1', userId: 3 });
      expect(pets.deleteUnreserved).not.toHaveBeenCalled();
      expect(outbox.append).not.toHaveBeenCalled();
    });
  });

  describe('uploadPhoto', () => {
    const stored = { id: 11, petId: 7, url: '/api/v3/pet/7/photos/11', contentType: 'image/png', size: 68, etag: '"x"' };

    it('stores the bytes, then lists the URL with PET_UPDATED, and answers Petstore’s ApiResponse', async () => {
      const { service, pets, photos, outbox } = setUp();
      pets.findById.mockResolvedValue(record({ version: 2 }));
      photos.store.mockResolvedValue(stored);
      const updated = record({ version: 3, photoUrls: ['https://images.example.com/a.jpg', stored.url] });
      pets.appendPhotoUrl.mockResolvedValue(updated);

      const answer = await service.uploadPhoto(7, Buffer.from('png'), 'front');

      expect(photos.store).toHaveBeenCalledWith(7, 2, Buffer.from('png'), 'front');
      expect(outbox.append).toHaveBeenCalledWith(manager, PetEventType.PetUpdated, updated);
      expect(answer).toEqual({
        code: 200,
        type: 'image/png',
        message: 'stored photo 11 of pet 7 (image/png, 68 bytes) at /api/v3/pet/7/photos/11',
      });
    });

    it('under an Idempotency-Key an upload committed, answers that upload at once, storing nothing, even when the pet is full', async () => {
      const { service, pets, photos, idempotentRequests } = setUp();
      pets.findById.mockResolvedValue(record({ photoUrls: Array.from({ length: 20 }, (_, i) => `https://a.example/${i}.jpg`) }));
      const first = { code: 200, type: 'image/png', message: 'stored photo 11 of pet 7 (image/png, 68 bytes) at /api/v3/pet/7/photos/11' };
      idempotentRequests.recorded.mockResolvedValue({ answer: first });

      expect(await service.uploadPhoto(7, Buffer.from('png'), 'front', { key: 'k-1', userId: 3 })).toEqual(first);

      expect(idempotentRequests.recorded).toHaveBeenCalledWith({
        operation: 'uploadFile',
        key: 'k-1',
        userId: 3,
        body: { petId: 7, additionalMetadata: 'front', sha256: createHash('sha256').update('png').digest('base64url') },
      });
      expect(photos.store).not.toHaveBeenCalled();
    });

    it('under an Idempotency-Key an upload in flight recorded meanwhile, answers that upload and discards the copy it stored', async () => {
      const { service, pets, photos, outbox, idempotentRequests } = setUp();
      pets.findById.mockResolvedValue(record({ version: 3 }));
      photos.store.mockResolvedValue({ ...stored, id: 12, url: '/api/v3/pet/7/photos/12' });
      const first = { code: 200, type: 'image/png', message: 'stored photo 11 of pet 7 (image/png, 68 bytes) at /api/v3/pet/7/photos/11' };
      idempotentRequests.once.mockResolvedValue(first);

      expect(await service.uploadPhoto(7, Buffer.from('png'), 'front', { key: 'k-1', userId: 3 })).toEqual(first);

      expect(idempotentRequests.once).toHaveBeenCalledWith(
        manager,
        { operation: 'uploadFile', key: 'k-1', userId: 3, body: { petId: 7, additionalMetadata: 'front', sha256: expect.any(String) } },
        expect.any(Function),
      );
      expect(pets.appendPhotoUrl).not.toHaveBeenCalled();
      expect(outbox.append).not.toHaveBeenCalled();
      expect(photos.discard).toHaveBeenCalledWith(7, 12);
    });

    it('under a new Idempotency-Key, lists the photo it stored and keeps it', async () => {
      const { service, pets, photos } = setUp();
      pets.findById.mockResolvedValue(record({ version: 2 }));
      photos.store.mockResolvedValue(stored);
      pets.appendPhotoUrl.mockResolvedValue(record({ version: 3 }));

      expect(await service.uploadPhoto(7, Buffer.from('png'), undefined, { key: 'k-1', userId: 3 })).toMatchObject({ code: 200 });
      expect(pets.appendPhotoUrl).toHaveBeenCalledWith(manager, 7, stored.url, 20);
      expect(photos.discard).not.toHaveBeenCalled();
    });

    it('discards the stored photo when the pet went away meanwhile', async () => {
      const { service, pets, photos } = setUp();
      pets.findById.mockResolvedValueOnce(record()).mockResolvedValueOnce(undefined);
      photos.store.mockResolvedValue(stored);
      pets.appendPhotoUrl.mockResolvedValue(undefined);
      await expect(service.uploadPhoto(7, Buffer.from('png'))).rejects.toBeInstanceOf(NotFoundException);
      expect(photos.discard).toHaveBeenCalledWith(7, 11);
    });

    it('refuses a photo beyond the most a pet may list, without storing it', async () => {
      const { service, pets, photos } = setUp();
      pets.findById.mockResolvedValue(record({ photoUrls: Array.from({ length: 20 }, (_, i) => `https://a.example/${i}.jpg`) }));
      await expect(service.uploadPhoto(7, Buffer.from('png'))).rejects.toThrow(
        new ConflictException('pet 7 already lists 20 photos, the most a pet may have'),
      );
      expect(photos.store).not.toHaveBeenCalled();
    });

    it('answers 404 for an unknown pet without storing anything', async () => {
      const { service, pets, photos } = setUp();
      pets.findById.mockResolvedValue(undefined);
      await expect(service.uploadPhoto(7, Buffer.from('png'))).rejects.toBeInstanceOf(NotFoundException);
      expect(photos.store).not.toHaveBeenCalled();
    });
  });
});
