import {
  BadRequestException,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpException,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
  UseInterceptors,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ACCEPTED_PHOTO_TYPES, AuthenticatedUser, MAX_PHOTO_METADATA_LENGTH, PetstoreApiResponse, Role } from '@petstore/dto';
import {
  frameworkErrorAsHttp,
  headerOf,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKey,
  IF_NONE_MATCH_HEADER,
  InjectServiceClient,
  mediaTypeOf,
  PARSED_MEDIA_TYPES,
  ParseIdPipe,
  photoUploadConfig,
  PhotoUploadConfig,
  readRawBody,
  ServiceClient,
  uploadTooLarge,
} from '@petstore/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
import { ApiIfNoneMatch } from '../entity-tags';
import { PET_ID, PET_NOT_FOUND, PET_SERVICE_DOWN } from '../pets/pet-api-responses';
import { fileBytesWithinLimit } from './multipart';
import { MultipartUploadLimit } from './upload-limit.interceptor';
import { AnswersAs, NegotiatesAnswers } from '../answer-media-types';

/** Headers of a served photo that the gateway passes on from photo-service. */
const PHOTO_HEADERS = ['content-type', 'content-length', 'etag', 'cache-control'];

/** uploadFile and the photo downloads (an extension): bytes go through pet-service to photo-service. */
@ApiTags('pet')
@NegotiatesAnswers()
@Controller('pet/:petId')
export class PhotosController {
  constructor(
    @InjectServiceClient('pet-service') private readonly petService: ServiceClient,
    @InjectServiceClient('photo-service') private readonly photoService: ServiceClient,
    @Inject(photoUploadConfig.KEY) private readonly config: PhotoUploadConfig,
  ) {}

  @Post('uploadImage')
  @HttpCode(200)
  @Roles(Role.StoreOwner)
  @UseInterceptors(MultipartUploadLimit)
  @ApiOperation({
    operationId: 'uploadFile',
    summary: 'Uploads an image.',
    description:
      `Upload image of the pet: the raw bytes as \`application/octet-stream\` (any other non-form content type is read ` +
      `as raw bytes too), or \`multipart/form-data\` with one file part of any name. The type is sniffed from the bytes ` +
      `(${ACCEPTED_PHOTO_TYPES.join(', ')}); the declared content type is not trusted. The photo's URL ` +
      "(`/api/v3/pet/{petId}/photos/{photoId}`) is appended to the pet's photoUrls. Sent again with the same " +
      '`Idempotency-Key`, it answers what the first upload did and the pet lists the photo once.',
    // Only the raw bytes, as in the contract: client generators skip the model of a multipart
    // form, so a documented multipart body gives clients that do not compile.
    requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
  })
  @ApiIdempotencyKey()
  @ApiParam({ ...PET_ID, description: 'ID of pet to update' })
  @ApiQuery({
    name: 'additionalMetadata',
    required: false,
    description: 'Additional Metadata',
    schema: { type: 'string', maxLength: MAX_PHOTO_METADATA_LENGTH },
  })
  @ApiOkResponse({ type: PetstoreApiResponse, description: 'successful operation' })
  @ApiStoreOwnerOnly()
  @ApiErrors({
    400: 'No file uploaded, or an invalid id, additionalMetadata or Idempotency-Key.',
    404: PET_NOT_FOUND,
    409: `The pet already lists the most photos a pet may have. ${IDEMPOTENCY_KEY_IN_USE}`,
    413: 'The image is larger than the upload limit.',
    415: `The bytes are not an accepted image (${ACCEPTED_PHOTO_TYPES.join(', ')}).`,
    422: IDEMPOTENCY_KEY_REUSED,
    503: PET_SERVICE_DOWN,
  })
  async uploadFile(
    @CurrentUser() user: AuthenticatedUser,
    @Param('petId', ParseIdPipe) petId: number,
    @Query('additionalMetadata') additionalMetadata: string | undefined,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<PetstoreApiResponse> {
    if (additionalMetadata !== undefined && (typeof additionalMetadata !== 'string' || additionalMetadata.length > MAX_PHOTO_METADATA_LENGTH)) {
      throw new BadRequestException(`additionalMetadata must be one string of at most ${MAX_PHOTO_METADATA_LENGTH} characters`);
    }
    const bytes = await this.uploadedBytes(request);
    return this.petService.json<PetstoreApiResponse>({
      method: 'POST',
      path: `/pets/${petId}/photos`,
      query: { additionalMetadata },
      body: bytes,
      headers: { 'content-type': 'application/octet-stream', [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
      onBehalfOf: user,
    });
  }

  @Get('photos/:photoId')
  @ApiPublic()
  @ApiOperation({
    operationId: 'getPetPhoto',
    summary: 'Downloads an uploaded photo (extension).',
    description: 'Serves the bytes with their sniffed Content-Type and a strong ETag; If-None-Match with that ETag answers 304.',
  })
  @ApiParam({ ...PET_ID, description: 'ID of the pet' })
  @ApiParam({ name: 'photoId', schema: { type: 'integer', format: 'int64', minimum: 1 }, description: 'ID of the photo' })
  @AnswersAs(...ACCEPTED_PHOTO_TYPES)
  @ApiOkResponse({
    description: 'The image.',
    schema: { type: 'string', format: 'binary' },
    headers: { ETag: { schema: { type: 'string' }, description: 'The SHA-256 of the bytes.' } },
  })
  @ApiIfNoneMatch('photo')
  @ApiErrors({ 400: INVALID_ID, 404: 'Photo not found (or not an uploaded photo of this pet).', 503: 'photo-service is unreachable.' })
  async getPetPhoto(
    @Param('petId', ParseIdPipe) petId: number,
    @Param('photoId', ParseIdPipe) photoId: number,
    @Headers(IF_NONE_MATCH_HEADER) ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const upstream = await this.photoService.bytes({
      path: `/pets/${petId}/photos/${photoId}`,
      headers: { [IF_NONE_MATCH_HEADER]: ifNoneMatch },
    });
    for (const name of PHOTO_HEADERS) {
      const value = headerOf(upstream.headers, name);
      if (value !== undefined) reply.header(name, value);
    }
    reply.status(upstream.status).send(upstream.body);
  }

  /** The image bytes: the multipart file part, or the raw body for any content type a parser did not consume. */
  private async uploadedBytes(request: FastifyRequest): Promise<Buffer> {
    if (request.isMultipart()) return this.filePartOf(request);
    if (PARSED_MEDIA_TYPES.has(mediaTypeOf(request.headers['content-type']) ?? '')) {
      throw new UnsupportedMediaTypeException(
        `send the image as application/octet-stream or multipart/form-data, not ${request.headers['content-type']}`,
      );
    }
    const bytes = await readRawBody(request.raw, this.config.maxBytes);
    if (bytes.length === 0) throw new BadRequestException('no file uploaded: the request body is empty');
    return bytes;
  }

  /**
   * The one file part of a multipart form, read up to the limit (acceptMultipartUploads). The form
   * is read to its end, so a second file part is refused rather than silently dropped.
   */
  private async filePartOf(request: FastifyRequest): Promise<Buffer> {
    try {
      let bytes: Buffer | undefined;
      for await (const part of request.parts()) {
        if (part.type === 'file') bytes = await fileBytesWithinLimit(part, this.config.maxBytes);
      }
      if (!bytes) throw new BadRequestException('no file uploaded: the multipart body has no file part');
      return bytes;
    } catch (error) {
      if (error instanceof request.server.multipartErrors.RequestFileTooLargeError) throw uploadTooLarge(this.config.maxBytes);
      if (error instanceof request.server.multipartErrors.FilesLimitError) {
        throw new BadRequestException('the multipart body has more than one file part: send one image');
      }
      const answerable = frameworkErrorAsHttp(error);
      if (answerable instanceof HttpException) throw answerable;
      throw new BadRequestException(`the multipart body could not be read: ${(error as Error).message}`);
    }
  }
}
