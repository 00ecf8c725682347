import { Module } from '@nestjs/common';
import { serviceInfrastructure } from '@petstore/messaging';
import { InventoryOrder } from '../inventory/inventory-order.entity';
import { InventoryPet } from '../inventory/inventory-pet.entity';
import { InventoryModule } from '../inventory/inventory.module';
import { CreateInventory1764200000000 } from './migrations/1764200000000-create-inventory';
import { SERVICE } from './service';

@Module({
  imports: [
    ...serviceInfrastructure({
      service: SERVICE,
      publishesEvents: false,
      entities: [InventoryPet, InventoryOrder],
      migrations: [CreateInventory1764200000000],
    }),
    InventoryModule,
  ],
})
export class AppModule {}
