import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { PetEventType, PetStatus } from '@petstore/contracts';
import { givenId, MAX_PHOTO_URLS, PageQuery, Pet, PetForm, PetstoreApiResponse, PetVersion, VersionsPageQuery } from '@petstore/dto';
import { Versioned, VersionPrecondition } from '@petstore/platform';
import { IdempotencyKeyOf, IdempotentRequests } from '@petstore/platform/database';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { PhotoRegistry } from '../photos/photo-registry';
import { LabelsRepository } from './labels.repository';
import { jsonArrayBytes } from './json-array';
import { PetOutbox } from './pet-outbox';
import { PetRecord, petView, versionedView } from './pet-record';
import { deletionRefusal, distinctUrls, initialStatusRefusal, statusChangeRefusal } from './pet-rules';
import { PetsRepository } from './pets.repository';

/** A deletion refused for a pet that just changed status is retried this often before answering. */
const MAX_DELETE_ATTEMPTS = 3;

/** The pet was reserved when the delete ran and is not by the time it was checked: the delete is tried again. */
class ReleasedMeanwhile extends Error {}

@Injectable()
export class PetsService {
  constructor(
    private readonly pets: PetsRepository,
    private readonly labels: LabelsRepository,
    private readonly photos: PhotoRegistry,
    private readonly outbox: PetOutbox,
    private readonly idempotentRequests: IdempotentRequests,
  ) {}

  async get(id: number): Promise<Versioned<Pet>> {
    return versionedView(await this.existing(id));
  }

  /** Every pet's version and status, or its deletion, a page at a time: what a read model checks itself against. */
  versions(page: VersionsPageQuery): Promise<PetVersion[]> {
    return this.pets.versionsAfter(page.afterId, page.limit, page.settledSeconds);
  }

  /** A JSON array of Pets, as UTF-8 bytes. */
  findByStatuses(statuses: PetStatus[], page: PageQuery): Promise<Buffer> {
    return this.pets.findByStatuses(statuses, page);
  }

  /** A JSON array of Pets, as UTF-8 bytes. */
  async findByTags(tags: string[], page: PageQuery): Promise<Buffer> {
    if (tags.length === 0) return jsonArrayBytes([]);
    return this.pets.findByTags(tags, page);
  }

  /**
   * addPet: the photos are registered with photo-service before the pet commits, so a pet never
   * exists whose photos are unknown; photo-service down means 503 and no pet. Sent again under the
   * same Idempotency-Key, it answers the pet the first request created instead of a second pet.
   */
  async create(input: Pet, idempotency?: IdempotencyKeyOf): Promise<Pet> {
    const status = input.status ?? PetStatus.Available;
    const refusal = initialStatusRefusal(status);
    if (refusal) throw new ConflictException(refusal);
    const keyed = idempotency && { operation: 'addPet', ...idempotency, body: input };
    return this.pets.transaction((manager) => this.idempotentRequests.once(manager, keyed, () => this.insertPet(manager, input, status)));
  }

  /**
   * updatePet: replaces the pet's fields; photo URLs it did not list before are registered first.
   * Given a precondition (If-Match), a pet at another version is left as it is (412).
   */
  async update(input: Pet, precondition?: VersionPrecondition): Promise<Versioned<Pet>> {
    if (!givenId(input.id)) throw new BadRequestException('id is required: it names the pet to update');
    const id = input.id;
    const record = await this.pets.transaction(async (manager) => {
      const current = await this.lockExisting(manager, id);
      this.assertPrecondition(current, precondition);
      const status = input.status ?? current.status;
      this.assertStatusChange(current, status);
      const { categoryId, tagIds } = await this.resolveLabels(manager, input);
      const photoUrls = distinctUrls(input.photoUrls);
      const added = photoUrls.filter((url) => !current.photoUrls.includes(url));
      await this.photos.register(id, current.version + 1, added);
      await this.pets.update(manager, id, { name: input.name, status, categoryId, photoUrls });
      await this.pets.replaceTags(manager, id, tagIds);
      return this.recordChange(manager, id);
    });
    return versionedView(record);
  }

  /** updatePetWithForm: changes the name and/or status given; given a precondition, only at a version it allows. */
  async updateWithForm(id: number, form: PetForm, precondition?: VersionPrecondition): Promise<Versioned<Pet>> {
    if (form.name === undefined && form.status === undefined) {
      throw new BadRequestException('nothing to update: give name and/or status');
    }
    const record = await this.pets.transaction(async (manager) => {
      const current = await this.lockExisting(manager, id);
      this.assertPrecondition(current, precondition);
      const status = form.status ?? current.status;
      this.assertStatusChange(current, status);
      await this.pets.update(manager, id, {
        name: form.name ?? current.name,
        status,
        categoryId: current.category?.id ?? null,
        photoUrls: current.photoUrls,
      });
      return this.recordChange(manager, id);
    });
    return versionedView(record);
  }

  /**
   * deletePet: one conditional statement deletes the pet only if it is neither pending nor sold,
   * so a reservation cannot slip in between a check and the delete. Sent again under the same
   * Idempotency-Key, it answers as the first did (deleted) instead of 404. Given a precondition
   * (If-Match), a pet at another version is left as it is (412).
   */
  async delete(id: number, idempotency?: IdempotencyKeyOf, precondition?: VersionPrecondition): Promise<void> {
    const keyed = idempotency && { operation: 'deletePet', ...idempotency, body: { petId: id } };
    for (let attempt = 1; attempt <= MAX_DELETE_ATTEMPTS; attempt++) {
      try {
        await this.pets.transaction((manager) =>
          this.idempotentRequests.once(manager, keyed, () => this.deleteUnreserved(manager, id, precondition)),
        );
        return;
      } catch (error) {
        if (!(error instanceof ReleasedMeanwhile)) throw error;
      }
    }
    throw new ConflictException(`pet ${id} is changing concurrently; try again`);
  }

  /**
   * uploadFile: photo-service sniffs and stores the bytes, then the pet lists the photo's URL.
   * If the pet cannot list it (deleted meanwhile, or full), the stored photo is discarded. Sent
   * again under the same Idempotency-Key, it answers what the first upload did, storing nothing;
   * a send while the first still runs stores a copy, and discards it when the first commits.
   */
  async uploadPhoto(id: number, bytes: Buffer, additionalMetadata?: string, idempotency?: IdempotencyKeyOf): Promise<PetstoreApiResponse> {
    const keyed = idempotency && {
      operation: 'uploadFile',
      ...idempotency,
      body: { petId: id, additionalMetadata, sha256: createHash('sha256').update(bytes).digest('base64url') },
    };
    // A send again after the first committed answers at once, even if the first filled the pet's photos.
    const recorded = keyed && (await this.idempotentRequests.recorded<PetstoreApiResponse>(keyed));
    if (recorded) return recorded.answer;
    const pet = await this.existing(id);
    this.assertRoomForPhoto(pet);
    const photo = await this.photos.store(id, pet.version, bytes, additionalMetadata);
    let listed = false;
    const listPhoto = async (manager: EntityManager): Promise<PetstoreApiResponse> => {
      const updated = await this.pets.appendPhotoUrl(manager, id, photo.url, MAX_PHOTO_URLS);
      if (!updated) {
        this.assertRoomForPhoto(await this.existing(id, manager));
        throw new ConflictException(`pet ${id} changed while the photo was uploaded; try again`);
      }
      await this.outbox.append(manager, PetEventType.PetUpdated, updated);
      listed = true;
      return {
        code: 200,
        type: photo.contentType,
        message: `stored photo ${photo.id} of pet ${id} (${photo.contentType}, ${photo.size} bytes) at ${photo.url}`,
      };
    };
    try {
      const answer = await this.pets.transaction((manager) => {
        listed = false;
        return this.idempotentRequests.once(manager, keyed, () => listPhoto(manager));
      });
      if (!listed) await this.photos.discard(id, photo.id);
      return answer;
    } catch (error) {
      await this.photos.discard(id, photo.id);
      throw error;
    }
  }

  private async insertPet(manager: EntityManager, input: Pet, status: PetStatus): Promise<Pet> {
    const { categoryId, tagIds } = await this.resolveLabels(manager, input);
    const id = givenId(input.id) ? input.id : undefined;
    const photoUrls = distinctUrls(input.photoUrls);
    const created = await this.pets.insert(manager, { id, name: input.name, status, categoryId, photoUrls });
    if (!created) {
      throw new ConflictException(`pet ${id} already exists: omit the id to have one assigned, or change the pet with PUT /pet`);
    }
    await this.pets.replaceTags(manager, created.id, tagIds);
    await this.photos.register(created.id, created.version, photoUrls);
    const pet = (await this.pets.findById(created.id, manager)) as PetRecord;
    await this.outbox.append(manager, PetEventType.PetCreated, pet);
    return petView(pet);
  }

  /** Deletes the pet with PET_DELETED, or refuses (404, 412, 409) in the same transaction, so a key it claimed is released. */
  private async deleteUnreserved(manager: EntityManager, id: number, precondition: VersionPrecondition | undefined): Promise<void> {
    if (precondition) this.assertPrecondition(await this.lockExisting(manager, id), precondition);
    const pet = await this.pets.deleteUnreserved(manager, id);
    if (!pet) {
      const refusal = deletionRefusal(await this.existing(id, manager));
      if (refusal) throw new ConflictException(refusal);
      throw new ReleasedMeanwhile();
    }
    const version = pet.version + 1;
    await this.pets.writeTombstone(manager, id, version);
    await this.outbox.append(manager, PetEventType.PetDeleted, pet, { version });
  }

  private async existing(id: number, manager?: EntityManager): Promise<PetRecord> {
    const pet = await this.pets.findById(id, manager);
    if (!pet) throw new NotFoundException(`pet ${id} not found`);
    return pet;
  }

  private async lockExisting(manager: EntityManager, id: number): Promise<PetRecord> {
    const pet = await this.pets.lockById(manager, id);
    if (!pet) throw new NotFoundException(`pet ${id} not found`);
    return pet;
  }

  private assertPrecondition(current: PetRecord, precondition: VersionPrecondition | undefined): void {
    precondition?.assertAllows(current.version, `pet ${current.id}`);
  }

  private assertStatusChange(current: PetRecord, status: PetStatus): void {
    const refusal = statusChangeRefusal(current, status);
    if (refusal) throw new ConflictException(refusal);
  }

  private assertRoomForPhoto(pet: PetRecord): void {
    if (pet.photoUrls.length >= MAX_PHOTO_URLS) {
      throw new ConflictException(`pet ${pet.id} already lists ${MAX_PHOTO_URLS} photos, the most a pet may have`);
    }
  }

  private async resolveLabels(manager: EntityManager, input: Pet): Promise<{ categoryId: number | null; tagIds: number[] }> {
    const category = input.category ? await this.labels.resolve(manager, 'category', input.category) : null;
    const tags = await this.labels.resolveAll(manager, 'tag', input.tags ?? []);
    return { categoryId: category?.id ?? null, tagIds: tags.map((tag) => tag.id) };
  }

  /** Reads the changed pet back and records PET_UPDATED in the same transaction. */
  private async recordChange(manager: EntityManager, id: number): Promise<PetRecord> {
    const pet = (await this.pets.findById(id, manager)) as PetRecord;
    await this.outbox.append(manager, PetEventType.PetUpdated, pet);
    return pet;
  }
}
