import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { StoredPhoto } from '@petstore/dto';
import {
  ForAnyone,
  IF_NONE_MATCH_HEADER,
  ifNoneMatchHits,
  ParseIdPipe,
  photoUploadConfig,
  PhotoUploadConfig,
  readRawBody,
  ServiceOnly,
} from '@petstore/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RegisterPhotosDto } from './dto/register-photos.dto';
import { UploadPhotoQuery } from './dto/upload-photo.query';
import { etagOf } from './etag';
import { PhotosService } from './photos.service';

/** photo-service's internal API: pet-service registers, stores and removes photos, the gateway serves them. */
@ServiceOnly('pet-service')
@Controller('pets/:petId')
export class PhotosController {
  constructor(
    private readonly photos: PhotosService,
    @Inject(photoUploadConfig.KEY) private readonly config: PhotoUploadConfig,
  ) {}

  @Post('photo-registrations')
  @HttpCode(200)
  register(@Param('petId', ParseIdPipe) petId: number, @Body() body: RegisterPhotosDto): Promise<{ registered: number }> {
    return this.photos.register(petId, body);
  }

  @Post('photos')
  async upload(@Param('petId', ParseIdPipe) petId: number, @Query() query: UploadPhotoQuery, @Req() request: FastifyRequest): Promise<StoredPhoto> {
    const bytes = await readRawBody(request.raw, this.config.maxBytes);
    return this.photos.upload(petId, bytes, query);
  }

  @ForAnyone()
  @Get('photos/:photoId')
  async download(
    @Param('petId', ParseIdPipe) petId: number,
    @Param('photoId', ParseIdPipe) photoId: number,
    @Headers(IF_NONE_MATCH_HEADER) ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const photo = await this.photos.findUploaded(petId, photoId);
    const etag = etagOf(photo.sha256 as string);
    reply.header('ETag', etag);
    reply.header('Cache-Control', 'public, no-cache');
    if (ifNoneMatchHits(ifNoneMatch, etag)) {
      reply.status(304).send();
      return;
    }
    const bytes = await this.photos.bytesOf(photo);
    reply.header('Content-Type', photo.contentType as string);
    reply.status(200).send(bytes);
  }

  @Delete('photos/:photoId')
  @HttpCode(204)
  remove(@Param('petId', ParseIdPipe) petId: number, @Param('photoId', ParseIdPipe) photoId: number): Promise<void> {
    return this.photos.remove(petId, photoId);
  }
}
