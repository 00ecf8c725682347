import { Module } from '@nestjs/common';
import { ServiceClientModule } from '@petstore/platform';
import { InventoryEventsController } from './inventory-events.controller';
import { InventoryReconciliation } from './inventory-reconciliation';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';

@Module({
  imports: [ServiceClientModule.register('pet-service', 'order-service')],
  controllers: [InventoryController, InventoryEventsController],
  providers: [InventoryService, InventoryReconciliation],
})
export class InventoryModule {}
