import { Module } from '@nestjs/common';
import { eventMessaging } from '@petstore/messaging';
import { serviceInfrastructure } from '@petstore/platform/database';
import { InventoryModule } from '../inventory/inventory.module';
import { CreateInventory1764200000000 } from './migrations/1764200000000-create-inventory';
import { SERVICE } from './service';

@Module({
  imports: [
    ...serviceInfrastructure({
      service: SERVICE,
      migrations: [CreateInventory1764200000000],
      features: [eventMessaging({ service: SERVICE, publishesEvents: false })],
    }),
    InventoryModule,
  ],
})
export class AppModule {}
