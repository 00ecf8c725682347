import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { photoUploadConfig, ServiceClientModule } from '@petstore/platform';
import { PhotosController } from './photos.controller';

@Module({
  imports: [ConfigModule.forFeature(photoUploadConfig), ServiceClientModule.register('pet-service', 'photo-service')],
  controllers: [PhotosController],
})
export class PhotosModule {}
