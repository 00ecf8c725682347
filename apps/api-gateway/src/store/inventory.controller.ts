import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ORDER_STATUSES, PET_STATUSES } from '@petstore/contracts';
import { AuthenticatedUser, InventoryCounts, OrderCounts, Role } from '@petstore/dto';
import { InjectServiceClient, ServiceClient } from '@petstore/platform';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors, ApiStoreOwnerOnly } from '../api-responses';
import { NegotiatesAnswers } from '../answer-media-types';

function countsSchema(statuses: readonly string[], example: number[]) {
  return {
    type: 'object' as const,
    properties: Object.fromEntries(statuses.map((status) => [status, { type: 'integer', format: 'int32' }])),
    required: [...statuses],
    additionalProperties: { type: 'integer', format: 'int32' },
    example: Object.fromEntries(statuses.map((status, index) => [status, example[index]])),
  };
}

const INVENTORY_SERVICE_DOWN = 'inventory-service is unreachable.';

/** The store's counts, read from inventory-service's read model (eventually consistent, typically within a second). */
@ApiTags('store')
@NegotiatesAnswers()
@Controller('store/inventory')
export class InventoryController {
  constructor(@InjectServiceClient('inventory-service') private readonly inventoryService: ServiceClient) {}

  @Get()
  @Roles(Role.StoreOwner)
  @ApiOperation({
    operationId: 'getInventory',
    summary: 'Returns pet inventories by status.',
    description:
      'Returns a map of status codes to quantities: every pet status is present, zero included; deleted pets are not ' +
      'counted. Built from pet-events, so a change shows up shortly after it is made.',
  })
  @ApiOkResponse({ description: 'successful operation', schema: countsSchema(PET_STATUSES, [12, 1, 3]) })
  @ApiStoreOwnerOnly()
  @ApiErrors({ 503: INVENTORY_SERVICE_DOWN })
  getInventory(@CurrentUser() user: AuthenticatedUser): Promise<InventoryCounts> {
    return this.inventoryService.json<InventoryCounts>({ path: '/inventory', onBehalfOf: user });
  }

  @Get('orders')
  @Roles(Role.StoreOwner)
  @ApiOperation({
    operationId: 'getOrderInventory',
    summary: 'Returns orders by status (extension; store owner).',
    description: 'A map of order status to the number of orders in it, built from order-events; cancelled orders are not counted.',
  })
  @ApiOkResponse({ description: 'successful operation', schema: countsSchema(ORDER_STATUSES, [2, 1, 5]) })
  @ApiStoreOwnerOnly()
  @ApiErrors({ 503: INVENTORY_SERVICE_DOWN })
  getOrderInventory(@CurrentUser() user: AuthenticatedUser): Promise<OrderCounts> {
    return this.inventoryService.json<OrderCounts>({ path: '/inventory/orders', onBehalfOf: user });
  }
}
