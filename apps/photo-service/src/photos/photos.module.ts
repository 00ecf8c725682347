import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PetEventsController } from './pet-events.controller';
import { Photo } from './photo.entity';
import { photosConfig } from './photos.config';
import { PhotosController } from './photos.controller';
import { PhotosService } from './photos.service';

@Module({
  imports: [TypeOrmModule.forFeature([Photo]), ConfigModule.forFeature(photosConfig)],
  controllers: [PhotosController, PetEventsController],
  providers: [PhotosService],
})
export class PhotosModule {}
