import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { StoredPhoto } from '@petstore/dto';
import { ForAnyone, ParseIdPipe, photoUploadConfig, PhotoUploadConfig, readRawBody, ServiceOnly } from '@petstore/platform';
import type { Request, Response } from 'express';
import { RegisterPhotosDto } from './dto/register-photos.dto';
import { UploadPhotoQuery } from './dto/upload-photo.query';
import { etagOf, ifNoneMatchHits } from './etag';
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
  async upload(
    @Param('petId', ParseIdPipe) petId: number,
    @Query() query: UploadPhotoQuery,
    @Req() request: Request,
  ): Promise<StoredPhoto> {
    const bytes = await readRawBody(request, this.config.maxBytes);
    return this.photos.upload(petId, bytes, query);
  }

  @ForAnyone()
  @Get('photos/:photoId')
  async download(
    @Param('petId', ParseIdPipe) petId: number,
    @Param('photoId', ParseIdPipe) photoId: number,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    const photo = await this.photos.findUploaded(petId, photoId);
    const etag = etagOf(photo.sha256 as string);
    response.setHeader('ETag', etag);
    response.setHeader('Cache-Control', 'public, no-cache');
    if (ifNoneMatchHits(ifNoneMatch, etag)) {
      response.status(304).end();
      return;
    }
    const bytes = await this.photos.bytesOf(photo);
    response.setHeader('Content-Type', photo.contentType as string);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.status(200).end(bytes);
  }

  @Delete('photos/:photoId')
  @HttpCode(204)
  remove(@Param('petId', ParseIdPipe) petId: number, @Param('photoId', ParseIdPipe) photoId: number): Promise<void> {
    return this.photos.remove(petId, photoId);
  }
}
