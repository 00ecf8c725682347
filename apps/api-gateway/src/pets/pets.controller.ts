import { Body, Controller, Delete, Get, Header, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { PET_STATUSES, PetStatus } from '@petstore/contracts';
import { AuthenticatedUser, PageQuery, pageParameters, Pet, PetForm, PetStatusListPipe, Role, TagListPipe } from '@petstore/dto';
import {
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKey,
  IF_MATCH_HEADER,
  IF_NONE_MATCH_HEADER,
  IfMatch,
  InjectServiceClient,
  JSON_CONTENT_TYPE,
  JSON_MEDIA_TYPE,
  ParseIdPipe,
  ServiceClient,
  ServiceRequest,
  VersionPrecondition,
} from '@petstore/platform';
import type { FastifyReply } from 'fastify';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import {
  ApiErrors,
  ApiIdempotencyKey,
  ApiPublic,
  ApiStoreOwnerOnly,
  IDEMPOTENCY_KEY_IN_USE,
  IDEMPOTENCY_KEY_REUSED,
  INVALID_ID,
} from '../api-responses';
import { ConsumesBody } from '../consumes-body';
import { ApiIfMatch, ApiIfNoneMatch, changedSinceRead, entityTagHeader, forwardEntityTag, sendRead } from '../entity-tags';
import { PET_ID, PET_NOT_FOUND, PET_SERVICE_DOWN } from './pet-api-responses';
import { AnswersNothing, NegotiatesAnswers } from '../answer-media-types';

/**
 * addPet's example names its category and tag instead of giving ids, and lets the store assign
 * the pet's id: it then succeeds on any store, as often as it is tried (a taken pet id or a
 * category id with another name would be refused with 409).
 */
const NEW_PET_EXAMPLE = {
  summary: 'A new pet; the store assigns the ids',
  value: {
    name: 'doggie',
    category: { name: 'Dogs' },
    photoUrls: ['https://images.example.com/doggie.jpg'],
    tags: [{ name: 'friendly' }],
    status: PetStatus.Available,
  },
};
const STATUS_OWNED_BY_ORDERS =
  'The write would move the pet into or out of pending or sold (only the order lifecycle does that), or a category/tag id names another name.';

const PET_ENTITY_TAG = entityTagHeader('pet');
const PET_CHANGED_SINCE_READ = changedSinceRead('pet');

/** The Petstore pet operations, forwarded to pet-service. */
@ApiTags('pet')
@NegotiatesAnswers()
@Controller('pet')
export class PetsController {
  constructor(@InjectServiceClient('pet-service') private readonly petService: ServiceClient) {}

  @Put()
  @Roles(Role.StoreOwner)
  @ConsumesBody(JSON_MEDIA_TYPE)
  @ApiOperation({
    operationId: 'updatePet',
    summary: 'Update an existing pet.',
    description:
      'Replaces the pet named by `id`: name, category, tags and photoUrls. Photo URLs the pet did not list before are ' +
      'registered with photo-service first. An omitted status keeps the current one. With `If-Match`, only if the pet ' +
      'has not changed since it was read.',
  })
  @ApiIfMatch('pet')
  @ApiBody({ type: Pet, description: 'Update an existent pet in the store' })
  @ApiOkResponse({ type: Pet, description: 'Successful operation', headers: PET_ENTITY_TAG })
  @ApiStoreOwnerOnly()
  @ApiErrors({
    400: 'Invalid ID supplied, a field fails validation, or a malformed If-Match: the message names each failing field.',
    404: PET_NOT_FOUND,
    409: STATUS_OWNED_BY_ORDERS,
    412: PET_CHANGED_SINCE_READ,
    413: 'The body is larger than the limit.',
    422: 'A category or tag id that does not exist was given without a name.',
    503: PET_SERVICE_DOWN,
  })
  async updatePet(
    @CurrentUser() user: AuthenticatedUser,
    @Body() pet: Pet,
    @IfMatch() precondition: VersionPrecondition | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Pet> {
    const answer = await this.petService.call<Pet>({
      method: 'PUT',
      path: '/pets',
      json: pet,
      headers: { [IF_MATCH_HEADER]: precondition?.header },
      onBehalfOf: user,
    });
    return forwardEntityTag(response, answer);
  }

  @Post()
  @HttpCode(200)
  @Roles(Role.StoreOwner)
  @ConsumesBody(JSON_MEDIA_TYPE)
  @ApiOperation({
    operationId: 'addPet',
    summary: 'Add a new pet to the store.',
    description:
      'Creates an available pet. Without `id` the server assigns one; a free `id` is used as given, a taken one is refused ' +
      'with 409 (never overwritten). The photo URLs are registered with photo-service before the pet is saved: ' +
      'photo-service down means 503 and no pet. Sent again with the same `Idempotency-Key`, it answers the pet the first ' +
      'request created instead of creating another.',
  })
  @ApiIdempotencyKey()
  @ApiBody({ schema: { $ref: getSchemaPath(Pet) }, description: 'Create a new pet in the store', examples: { newPet: NEW_PET_EXAMPLE } })
  @ApiOkResponse({ type: Pet, description: 'Successful operation' })
  @ApiStoreOwnerOnly()
  @ApiErrors({
    400: 'Invalid input or a malformed Idempotency-Key: the message names each failing field.',
    409: `The id is taken, the status is pending or sold (only orders set those), or a category/tag id names another name. ${IDEMPOTENCY_KEY_IN_USE}`,
    413: 'The body is larger than the limit.',
    422: `A category or tag id that does not exist was given without a name. ${IDEMPOTENCY_KEY_REUSED}`,
    503: PET_SERVICE_DOWN,
  })
  addPet(@CurrentUser() user: AuthenticatedUser, @Body() pet: Pet, @IdempotencyKey() idempotencyKey: string | undefined): Promise<Pet> {
    return this.petService.json<Pet>({
      method: 'POST',
      path: '/pets',
      json: pet,
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
      onBehalfOf: user,
    });
  }

  @Get('findByStatus')
  @ApiPublic()
  @ApiOperation({
    operationId: 'findPetsByStatus',
    summary: 'Finds Pets by status.',
    description:
      'Multiple status values can be provided as a comma list (`status=available,sold`), as repeated parameters, or both. ' +
      'Each matching pet is returned once, by ascending id, one page at a time (`limit`, `offset`).',
  })
  @ApiQuery({
    name: 'status',
    required: false,
    description: 'Status values that need to be considered for filter',
    schema: { type: 'string', enum: [...PET_STATUSES], default: PetStatus.Available },
    explode: true,
  })
  @ApiOkResponse({ type: [Pet], description: 'successful operation' })
  @ApiErrors({ 400: 'Invalid status, limit or offset: the message names it.', 503: PET_SERVICE_DOWN })
  @Header('content-type', JSON_CONTENT_TYPE)
  findPetsByStatus(@Query('status', PetStatusListPipe) statuses: PetStatus[], @Query() page: PageQuery): Promise<Buffer> {
    return this.petJson({ path: '/pets/by-status', query: { status: statuses, ...pageParameters(page) } });
  }

  @Get('findByTags')
  @ApiPublic()
  @ApiOperation({
    operationId: 'findPetsByTags',
    summary: 'Finds Pets by tags.',
    description:
      'Pets carrying any of the tags, each returned once. Multiple tags can be provided as a comma list, as repeated ' +
      'parameters, or both; no tags give an empty list. By ascending id, one page at a time (`limit`, `offset`).',
  })
  @ApiQuery({
    name: 'tags',
    required: false,
    description: 'Tags to filter by',
    schema: { type: 'array', items: { type: 'string' } },
    explode: true,
  })
  @ApiOkResponse({ type: [Pet], description: 'successful operation' })
  @ApiErrors({ 400: 'Invalid tag, limit or offset: the message names it.', 503: PET_SERVICE_DOWN })
  @Header('content-type', JSON_CONTENT_TYPE)
  findPetsByTags(@Query('tags', TagListPipe) tags: string[], @Query() page: PageQuery): Promise<Buffer> {
    return this.petJson({ path: '/pets/by-tags', query: { tags, ...pageParameters(page) } });
  }

  @Get(':petId')
  @ApiPublic()
  @ApiOperation({ operationId: 'getPetById', summary: 'Find pet by ID.', description: 'Returns a single pet.' })
  @ApiParam({ ...PET_ID, description: 'ID of pet to return' })
  @ApiOkResponse({ type: Pet, description: 'successful operation', headers: PET_ENTITY_TAG })
  @ApiErrors({ 400: INVALID_ID, 404: PET_NOT_FOUND, 503: PET_SERVICE_DOWN })
  @ApiIfNoneMatch('pet')
  @Header('content-type', JSON_CONTENT_TYPE)
  async getPetById(
    @Param('petId', ParseIdPipe) petId: number,
    @Headers(IF_NONE_MATCH_HEADER) ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendRead(reply, ifNoneMatch, await this.petService.bytes({ path: `/pets/${petId}` }));
  }

  @Post(':petId')
  @HttpCode(200)
  @Roles(Role.StoreOwner)
  @ApiOperation({
    operationId: 'updatePetWithForm',
    summary: 'Updates a pet in the store with form data.',
    description:
      'Changes the name and/or the status given as query parameters; at least one is required. With `If-Match`, only if ' +
      'the pet has not changed since it was read.',
  })
  @ApiIfMatch('pet')
  @ApiParam({ ...PET_ID, description: 'ID of pet that needs to be updated' })
  @ApiOkResponse({ type: Pet, description: 'successful operation', headers: PET_ENTITY_TAG })
  @ApiStoreOwnerOnly()
  @ApiErrors({
    400: 'Invalid input: a bad id, an unknown status, a blank name, neither name nor status, or a malformed If-Match.',
    404: PET_NOT_FOUND,
    409: 'The status change would move the pet into or out of pending or sold: only the order lifecycle does that.',
    412: PET_CHANGED_SINCE_READ,
    503: PET_SERVICE_DOWN,
  })
  async updatePetWithForm(
    @CurrentUser() user: AuthenticatedUser,
    @Param('petId', ParseIdPipe) petId: number,
    @Query() form: PetForm,
    @IfMatch() precondition: VersionPrecondition | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<Pet> {
    const answer = await this.petService.call<Pet>({
      method: 'PATCH',
      path: `/pets/${petId}`,
      json: form,
      headers: { [IF_MATCH_HEADER]: precondition?.header },
      onBehalfOf: user,
    });
    return forwardEntityTag(response, answer);
  }

  @Delete(':petId')
  @Roles(Role.StoreOwner)
  @ApiOperation({
    operationId: 'deletePet',
    summary: 'Deletes a pet.',
    description:
      'Deletes a pet that is neither pending nor sold, in one conditional statement; its uploaded photos are removed ' +
      'afterwards (PET_DELETED). Unlike the reference server, an unknown pet is 404, not 200. Sent again with the same ' +
      '`Idempotency-Key`, it answers 200 as the first did, where without one it would be 404. With `If-Match`, only if the ' +
      'pet has not changed since it was read.',
  })
  @ApiIdempotencyKey()
  @ApiIfMatch('pet')
  @ApiHeader({ name: 'api_key', required: false, description: 'Accepted for compatibility and ignored: the bearer token authorizes.' })
  @ApiParam({ ...PET_ID, description: 'Pet id to delete' })
  @ApiOkResponse({ description: 'Pet deleted' })
  @AnswersNothing()
  @ApiStoreOwnerOnly()
  @ApiErrors({
    400: 'Invalid pet value, a malformed Idempotency-Key or a malformed If-Match: the message names it.',
    404: PET_NOT_FOUND,
    409: `The pet is pending (the message names the order that reserved it) or sold. ${IDEMPOTENCY_KEY_IN_USE}`,
    412: PET_CHANGED_SINCE_READ,
    422: IDEMPOTENCY_KEY_REUSED,
    503: PET_SERVICE_DOWN,
  })
  async deletePet(
    @CurrentUser() user: AuthenticatedUser,
    @Param('petId', ParseIdPipe) petId: number,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @IfMatch() precondition: VersionPrecondition | undefined,
  ): Promise<void> {
    await this.petService.json<void>({
      method: 'DELETE',
      path: `/pets/${petId}`,
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey, [IF_MATCH_HEADER]: precondition?.header },
      onBehalfOf: user,
    });
  }

  /**
   * pet-service's JSON answer as the bytes it wrote: parsing a page of a thousand pets only to
   * write it again, as text decoded and encoded on the way, was most of the gateway's work on it.
   */
  private async petJson(request: ServiceRequest): Promise<Buffer> {
    return (await this.petService.bytes(request)).body;
  }
}
