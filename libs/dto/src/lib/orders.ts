import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_ID, ORDER_STATUSES, OrderStatus, PetStatus, Reservation } from '@petstore/contracts';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEnum, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';
import { FromDecimalText } from './decimal-text';
import { MAX_VERSIONS_PAGE, PageQuery, SettledItemsQuery } from './paging';

/** The most of one pet a single order may ask for; the reference server leaves quantity unchecked, this store does not. */
export const MAX_ORDER_QUANTITY = 100;

/**
 * Petstore's Order: the body of placeOrder and the answer of every order operation. In a
 * request only petId, quantity and shipDate count; id, status and complete are the store's.
 */
export class Order {
  @ApiProperty({
    type: 'integer',
    format: 'int64',
    example: 10,
    readOnly: true,
    description: 'Assigned by the store when the order is placed; a value sent with placeOrder is ignored.',
  })
  id!: number;

  @ApiProperty({ type: 'integer', format: 'int64', example: 198772, minimum: 1, maximum: MAX_ID })
  @FromDecimalText()
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  petId!: number;

  @ApiProperty({ type: 'integer', format: 'int32', example: 1, minimum: 1, maximum: MAX_ORDER_QUANTITY })
  @FromDecimalText()
  @IsInt()
  @Min(1)
  @Max(MAX_ORDER_QUANTITY)
  quantity!: number;

  @ApiPropertyOptional({ type: 'string', format: 'date-time', example: '2030-01-31T10:00:00.000Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  shipDate?: string;

  @ApiProperty({
    enum: ORDER_STATUSES,
    example: OrderStatus.Placed,
    readOnly: true,
    description:
      'Order Status: placed when the pet is reserved; approved (the pet is sold) and delivered by a store owner. ' +
      'Set by the store; a value sent with placeOrder is ignored.',
  })
  status!: OrderStatus;

  @ApiProperty({ example: false, readOnly: true, description: 'True once the order is delivered.' })
  complete!: boolean;
}

/** placeOrder's 202 answer: the pet is reserved for this order id, but the order was not confirmed within the wait. */
export class PendingOrder {
  @ApiProperty({ type: 'integer', format: 'int64', example: 10, description: 'Fetch the order by this id shortly.' })
  id!: number;

  @ApiProperty({ type: 'integer', format: 'int64', example: 198772 })
  petId!: number;

  @ApiProperty({ type: 'integer', format: 'int32', example: 1 })
  quantity!: number;

  @ApiPropertyOptional({ type: 'string', format: 'date-time' })
  shipDate?: string;

  @ApiProperty({ example: false })
  complete!: false;

  @ApiProperty({ example: 'the pet is reserved; order 10 is being confirmed, fetch it shortly' })
  message!: string;
}

/** Petstore's inventory: how many pets are in each status; every status is present, zero included. */
export type InventoryCounts = Record<PetStatus, number>;

/** How many live orders are in each status (an extension beside getInventory). */
export type OrderCounts = Record<OrderStatus, number>;

/** One pet as inventory-service's read model holds it. */
export interface InventoryPetView {
  petId: number;
  status: PetStatus;
  version: number;
}

/** One order as order-service holds it now, for a read model to check itself against: placed, approved, delivered, or cancelled at a version (status null). */
export interface OrderVersion {
  id: number;
  petId: number;
  status: OrderStatus | null;
  version: number;
  cancelled: boolean;
}

/** What an order now means for the pet it reserved: held (being placed, or placed), sold (approved or delivered), or released (cancelled or rejected). */
export enum HoldOutcome {
  Held = 'held',
  Sold = 'sold',
  Released = 'released',
}

/** An order's hold on its pet as order-service has it now, for pet-service to check its pending pets against. */
export interface OrderHold {
  orderId: number;
  outcome: HoldOutcome;
  reservation: Reservation;
}

/**
 * The orders whose holds pet-service asks about: those of a page of its pending pets. Sent as a
 * body, as a thousand ids would not fit in a request line. An order changed within
 * `settledSeconds` is left out of the answer.
 */
export class OrderHoldsQuery extends SettledItemsQuery {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_VERSIONS_PAGE)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_ID, { each: true })
  orderIds!: number[];
}

/**
 * The store owner's order list, as the gateway takes it and order-service answers it: `status`
 * as a comma list, repeated, or both; one page at a time.
 */
export class ListOrdersQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Only orders in these statuses (comma list or repeated); all three when omitted.',
    type: 'array',
    items: { type: 'string', enum: [...ORDER_STATUSES] },
  })
  @IsOptional()
  @Transform(({ value }) =>
    [value]
      .flat()
      .flatMap((item) => String(item).split(','))
      .filter((item) => item !== ''),
  )
  @IsEnum(OrderStatus, { each: true, message: `status must be one of ${ORDER_STATUSES.join(', ')}` })
  status?: OrderStatus[];

  @ApiPropertyOptional({ type: 'integer', format: 'int64', minimum: 1, description: 'Only orders for this pet.' })
  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  petId?: number;
}
