import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { OrderHold, OrderHoldsQuery, OrderVersion, VersionsPageQuery } from '@petstore/dto';
import { ServiceOnly } from '@petstore/platform';
import { OrdersService } from './orders.service';

/**
 * Internal API for the services that keep state built from order-events, so they can catch up on
 * events they never received: every placed order's version for inventory-service's counts, and
 * what an order means for its pet for pet-service's pending pets.
 */
@Controller('orders')
export class OrderVersionsController {
  constructor(private readonly orders: OrdersService) {}

  @ServiceOnly('inventory-service')
  @Get('versions')
  versions(@Query() page: VersionsPageQuery): Promise<OrderVersion[]> {
    return this.orders.versions(page);
  }

  @ServiceOnly('pet-service')
  @Post('holds')
  @HttpCode(HttpStatus.OK)
  holds(@Body() query: OrderHoldsQuery): Promise<OrderHold[]> {
    return this.orders.holds(query.orderIds, query.settledSeconds);
  }
}
