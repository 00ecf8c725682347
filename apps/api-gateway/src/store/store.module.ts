import { Module } from '@nestjs/common';
import { ServiceClientModule } from '@petstore/platform';
import { InventoryController } from './inventory.controller';
import { OrdersController } from './orders.controller';

/** Petstore's store operations: orders (order-service) and inventory (inventory-service). */
@Module({
  imports: [ServiceClientModule.register('order-service', 'inventory-service')],
  controllers: [OrdersController, InventoryController],
})
export class StoreModule {}
