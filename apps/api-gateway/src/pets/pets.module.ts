import { Module } from '@nestjs/common';
import { ServiceClientModule } from '@petstore/platform';
import { PetsController } from './pets.controller';

@Module({
  imports: [ServiceClientModule.register('pet-service')],
  controllers: [PetsController],
})
export class PetsModule {}
