import { OrderStatus } from '@petstore/contracts';
import { Transform, Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 1000;

/** `status` may repeat or be a comma list, as the gateway forwards Petstore-style filters. */
export class ListOrdersQuery {
  @IsOptional()
  @Transform(({ value }) => [value].flat().flatMap((item: string) => String(item).split(',')).filter(Boolean))
  @IsEnum(OrderStatus, { each: true })
  status?: OrderStatus[];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  petId?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit = 100;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}
