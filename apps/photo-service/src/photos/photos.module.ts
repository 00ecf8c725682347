import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { photoUploadConfig } from '@petstore/platform';
import { PetEventsController } from './pet-events.controller';
import { Photo } from './photo.entity';
import { PhotosController } from './photos.controller';
import { PhotosService } from './photos.service';

@Module({
  imports: [TypeOrmModule.forFeature([Photo]), ConfigModule.forFeature(photoUploadConfig)],
  controllers: [PhotosController, PetEventsController],
  providers: [PhotosService],
})
export class PhotosModule {}
