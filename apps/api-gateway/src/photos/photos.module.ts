import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { MAX_PHOTO_METADATA_LENGTH } from '@petstore/dto';
import { photoUploadConfig, PhotoUploadConfig, ServiceClientModule } from '@petstore/platform';
import { PhotosController } from './photos.controller';

@Module({
  imports: [
    ConfigModule.forFeature(photoUploadConfig),
    ServiceClientModule.register('pet-service', 'photo-service'),
    MulterModule.registerAsync({
      imports: [ConfigModule.forFeature(photoUploadConfig)],
      inject: [photoUploadConfig.KEY],
      // Form fields are ignored (additionalMetadata is a query parameter): a few short ones at most.
      useFactory: (config: PhotoUploadConfig) => ({
        limits: { fileSize: config.maxBytes, files: 1, fields: 10, fieldSize: MAX_PHOTO_METADATA_LENGTH, parts: 11 },
      }),
    }),
  ],
  controllers: [PhotosController],
})
export class PhotosModule {}
