import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { InventoryCounts, InventoryPetView, OrderCounts, Role } from '@petstore/dto';
import { ForSignedInUser } from '@petstore/platform';
import { InventoryService } from './inventory.service';

/** inventory-service's API; the gateway's /store/inventory routes forward here, for store owners. */
@ForSignedInUser(Role.StoreOwner)
@Controller('inventory')
export class InventoryController {
  constructor(private readonly inventory: InventoryService) {}

  @Get()
  petCounts(): Promise<InventoryCounts> {
    return this.inventory.petCounts();
  }

  @Get('orders')
  orderCounts(): Promise<OrderCounts> {
    return this.inventory.orderCounts();
  }

  /** One pet as the read model holds it: how operators (and the end-to-end specs) see what the model learned. */
  @Get('pets/:petId')
  pet(@Param('petId', ParseIntPipe) petId: number): Promise<InventoryPetView> {
    return this.inventory.pet(petId);
  }
}
