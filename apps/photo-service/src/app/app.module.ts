import { Module } from '@nestjs/common';
import { serviceInfrastructure } from '@petstore/messaging';
import { Photo } from '../photos/photo.entity';
import { photosEnvironment } from '../photos/photos.config';
import { PhotosModule } from '../photos/photos.module';
import { CreatePhotos1764200000000 } from './migrations/1764200000000-create-photos';
import { SERVICE } from './service';

@Module({
  imports: [
    ...serviceInfrastructure({
      service: SERVICE,
      publishesEvents: false,
      environment: [photosEnvironment],
      entities: [Photo],
      migrations: [CreatePhotos1764200000000],
    }),
    PhotosModule,
  ],
})
export class AppModule {}
