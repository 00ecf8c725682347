import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { photoUploadConfig, ServiceClientModule } from '@petstore/platform';
import { DeletedPetPhotos } from './deleted-pet-photos';
import { PetEventsController } from './pet-events.controller';
import { PhotosController } from './photos.controller';
import { PhotosRepository } from './photos.repository';
import { PhotosService } from './photos.service';
import { UnlistedUploads } from './unlisted-uploads';

@Module({
  imports: [ConfigModule.forFeature(photoUploadConfig), ServiceClientModule.register('pet-service')],
  controllers: [PhotosController, PetEventsController],
  providers: [PhotosService, PhotosRepository, UnlistedUploads, DeletedPetPhotos],
})
export class PhotosModule {}
