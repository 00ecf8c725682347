import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { PetStatus } from '@petstore/contracts';
import {
  AuthenticatedUser,
  MAX_PHOTO_METADATA_LENGTH,
  Pet,
  PetForm,
  PetStatusListPipe,
  PetstoreApiResponse,
  PageQuery,
  Role,
  TagListPipe,
} from '@petstore/dto';
import {
  CallingUser,
  ForAnyone,
  ForSignedInUser,
  IdempotencyKey,
  IfMatch,
  JSON_CONTENT_TYPE,
  ParseIdPipe,
  photoUploadConfig,
  PhotoUploadConfig,
  readRawBody,
  VersionPrecondition,
  withEntityTag,
} from '@petstore/platform';
import type { IdempotencyKeyOf } from '@petstore/platform/database';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PetsService } from './pets.service';

/** The caller's key, if it sent one: keys are per user. */
function keyOf(idempotencyKey: string | undefined, caller: AuthenticatedUser): IdempotencyKeyOf | undefined {
  return idempotencyKey === undefined ? undefined : { key: idempotencyKey, userId: caller.id };
}

/** pet-service's internal pet API; the gateway maps the Petstore operations onto it. Reads are for anyone, writes for store owners. */
@ForSignedInUser(Role.StoreOwner)
@Controller('pets')
export class PetsController {
  constructor(
    private readonly pets: PetsService,
    @Inject(photoUploadConfig.KEY) private readonly photos: PhotoUploadConfig,
  ) {}

  @Post()
  create(@Body() pet: Pet, @CallingUser() caller: AuthenticatedUser, @IdempotencyKey() idempotencyKey: string | undefined): Promise<Pet> {
    return this.pets.create(pet, keyOf(idempotencyKey, caller));
  }

  @Put()
  async update(
    @Body() pet: Pet,
    @IfMatch() precondition: VersionPrecondition | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Pet> {
    return withEntityTag(response, await this.pets.update(pet, precondition));
  }

  @ForAnyone()
  @Get('by-status')
  @Header('content-type', JSON_CONTENT_TYPE)
  findByStatus(@Query('status', PetStatusListPipe) statuses: PetStatus[], @Query() page: PageQuery): Promise<Buffer> {
    return this.pets.findByStatuses(statuses, page);
  }

  @ForAnyone()
  @Get('by-tags')
  @Header('content-type', JSON_CONTENT_TYPE)
  findByTags(@Query('tags', TagListPipe) tags: string[], @Query() page: PageQuery): Promise<Buffer> {
    return this.pets.findByTags(tags, page);
  }

  @ForAnyone()
  @Get(':petId')
  async get(@Param('petId', ParseIdPipe) petId: number, @Res({ passthrough: true }) response: FastifyReply): Promise<Pet> {
    return withEntityTag(response, await this.pets.get(petId));
  }

  @Patch(':petId')
  async updateWithForm(
    @Param('petId', ParseIdPipe) petId: number,
    @Body() form: PetForm,
    @IfMatch() precondition: VersionPrecondition | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Pet> {
    return withEntityTag(response, await this.pets.updateWithForm(petId, form, precondition));
  }

  @Delete(':petId')
  @HttpCode(204)
  delete(
    @Param('petId', ParseIdPipe) petId: number,
    @CallingUser() caller: AuthenticatedUser,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @IfMatch() precondition: VersionPrecondition | undefined,
  ): Promise<void> {
    return this.pets.delete(petId, keyOf(idempotencyKey, caller), precondition);
  }

  /** The raw image bytes; photo-service sniffs their type. */
  @Post(':petId/photos')
  async uploadPhoto(
    @Param('petId', ParseIdPipe) petId: number,
    @Query('additionalMetadata') additionalMetadata: string | undefined,
    @CallingUser() caller: AuthenticatedUser,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<PetstoreApiResponse> {
    if (additionalMetadata !== undefined && (typeof additionalMetadata !== 'string' || additionalMetadata.length > MAX_PHOTO_METADATA_LENGTH)) {
      throw new BadRequestException(`additionalMetadata must be one string of at most ${MAX_PHOTO_METADATA_LENGTH} characters`);
    }
    const bytes = await readRawBody(request.raw, this.photos.maxBytes);
    return this.pets.uploadPhoto(petId, bytes, additionalMetadata, keyOf(idempotencyKey, caller));
  }
}
