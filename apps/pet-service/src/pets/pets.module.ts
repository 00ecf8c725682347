import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { photoUploadConfig, ServiceClientModule } from '@petstore/platform';
import { PhotoListingsController } from '../photos/photo-listings.controller';
import { PhotoRegistry } from '../photos/photo-registry';
import { photoServiceConfig } from '../photos/photos.config';
import { LabelsRepository } from './labels.repository';
import { PetOutbox } from './pet-outbox';
import { PetVersionsController } from './pet-versions.controller';
import { PetsController } from './pets.controller';
import { PetsRepository } from './pets.repository';
import { PetsService } from './pets.service';

@Module({
  imports: [ConfigModule.forFeature(photoUploadConfig), ConfigModule.forFeature(photoServiceConfig), ServiceClientModule.register('photo-service')],
  controllers: [PetsController, PhotoListingsController, PetVersionsController],
  providers: [PetsService, PetsRepository, LabelsRepository, PetOutbox, PhotoRegistry],
  exports: [PetsRepository, PetOutbox],
})
export class PetsModule {}
