import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { MulterModule } from '@nestjs/platform-express';
import { ServiceClientModule } from '@petstore/platform';
import { photosConfig, PhotosConfig } from './photos.config';
import { PhotosController } from './photos.controller';

@Module({
  imports: [
    ConfigModule.forFeature(photosConfig),
    ServiceClientModule.register('pet-service', 'photo-service'),
    MulterModule.registerAsync({
      imports: [ConfigModule.forFeature(photosConfig)],
      inject: [photosConfig.KEY],
      useFactory: (config: PhotosConfig) => ({ limits: { fileSize: config.maxBytes, files: 1, fields: 10, parts: 11 } }),
    }),
  ],
  controllers: [PhotosController],
})
export class PhotosModule {}
