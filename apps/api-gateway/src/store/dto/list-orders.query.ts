import { ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES, OrderStatus } from '@petstore/contracts';
import { Transform, Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_ORDERS_PAGE = 1000;

/** The store owner's order list: `status` as a comma list, repeated, or both. */
export class ListOrdersQuery {
  @ApiPropertyOptional({
    description: 'Only orders in these statuses (comma list or repeated); all three when omitted.',
    type: 'array',
    items: { type: 'string', enum: [...ORDER_STATUSES] },
  })
  @IsOptional()
  @Transform(({ value }) => [value].flat().flatMap((item) => String(item).split(',')).filter((item) => item !== ''))
  @IsEnum(OrderStatus, { each: true, message: `status must be one of ${ORDER_STATUSES.join(', ')}` })
  status?: OrderStatus[];

  @ApiPropertyOptional({ type: 'integer', format: 'int64', minimum: 1, description: 'Only orders for this pet.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  petId?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_ORDERS_PAGE, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ORDERS_PAGE)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'Orders are listed by id; skip this many.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}
