import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { photoUploadConfig, PhotoUploadConfig, ServiceClientModule } from '@petstore/platform';
import { PhotosController } from './photos.controller';

@Module({
  imports: [
    ConfigModule.forFeature(photoUploadConfig),
    ServiceClientModule.register('pet-service', 'photo-service'),
    MulterModule.registerAsync({
      imports: [ConfigModule.forFeature(photoUploadConfig)],
      inject: [photoUploadConfig.KEY],
      useFactory: (config: PhotoUploadConfig) => ({ limits: { fileSize: config.maxBytes, files: 1, fields: 10, parts: 11 } }),
    }),
  ],
  controllers: [PhotosController],
})
export class PhotosModule {}
