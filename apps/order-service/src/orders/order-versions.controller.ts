import { Controller, Get, Query } from '@nestjs/common';
import { OrderVersion, VersionsPageQuery } from '@petstore/dto';
import { ServiceOnly } from '@petstore/platform';
import { OrdersService } from './orders.service';

/** Internal API for inventory-service alone: every placed order's version, so its order counts can catch up on events they never received. */
@ServiceOnly('inventory-service')
@Controller('orders')
export class OrderVersionsController {
  constructor(private readonly orders: OrdersService) {}

  @Get('versions')
  versions(@Query() page: VersionsPageQuery): Promise<OrderVersion[]> {
    return this.orders.versions(page);
  }
}
