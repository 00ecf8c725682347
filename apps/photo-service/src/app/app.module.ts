import { Module } from '@nestjs/common';
import { eventMessaging } from '@petstore/messaging';
import { photoUploadConfig } from '@petstore/platform';
import { serviceInfrastructure } from '@petstore/platform/database';
import { PhotosModule } from '../photos/photos.module';
import { CreatePhotos1764200000000 } from './migrations/1764200000000-create-photos';
import { TrackListedUploads1765200000000 } from './migrations/1765200000000-track-listed-uploads';
import { SERVICE } from './service';

@Module({
  imports: [
    ...serviceInfrastructure({
      service: SERVICE,
      environment: [photoUploadConfig.environment],
      migrations: [CreatePhotos1764200000000, TrackListedUploads1765200000000],
      features: [eventMessaging({ service: SERVICE, publishesEvents: false })],
    }),
    PhotosModule,
  ],
})
export class AppModule {}
