import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { photoUploadConfig } from '@petstore/platform';
import { PetEventsController } from './pet-events.controller';
import { PhotosController } from './photos.controller';
import { PhotosRepository } from './photos.repository';
import { PhotosService } from './photos.service';

@Module({
  imports: [ConfigModule.forFeature(photoUploadConfig)],
  controllers: [PhotosController, PetEventsController],
  providers: [PhotosService, PhotosRepository],
})
export class PhotosModule {}
