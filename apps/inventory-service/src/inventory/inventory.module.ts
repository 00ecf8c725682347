import { Module } from '@nestjs/common';
import { InventoryEventsController } from './inventory-events.controller';
import { InventoryController } from './inventory.controller';
import { InventoryService } from './inventory.service';

@Module({
  controllers: [InventoryController, InventoryEventsController],
  providers: [InventoryService],
})
export class InventoryModule {}
