import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsEnum,
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import { OrderStatus, PetStatus } from './states';

export class CategorySnapshot {
  @IsInt()
  id!: number;

  @IsString()
  name!: string;
}

export class TagSnapshot {
  @IsInt()
  id!: number;

  @IsString()
  name!: string;
}

/** Full state of a pet after the change the event records. */
export class PetSnapshot {
  @IsInt()
  @Min(1)
  id!: number;

  @IsString()
  name!: string;

  @IsEnum(PetStatus)
  status!: PetStatus;

  @IsOptional()
  @ValidateNested()
  @Type(() => CategorySnapshot)
  category?: CategorySnapshot | null;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => TagSnapshot)
  tags!: TagSnapshot[];

  @IsArray()
  @IsString({ each: true })
  photoUrls!: string[];

  @IsOptional()
  @IsInt()
  reservedByOrderId?: number | null;
}

export class ReservationDetails {
  @IsInt()
  @Min(1)
  orderId!: number;

  @IsInt()
  @Min(1)
  userId!: number;

  @IsInt()
  @Min(1)
  quantity!: number;

  @IsOptional()
  @IsISO8601()
  shipDate?: string | null;
}

/** PET_RESERVED and PET_RESERVATION_RELEASED: the pet snapshot plus the reservation it concerns. */
export class PetReservationPayload extends PetSnapshot {
  @ValidateNested()
  @Type(() => ReservationDetails)
  reservation!: ReservationDetails;
}

/** Full state of an order after the change the event records. */
export class OrderSnapshot {
  @IsInt()
  @Min(1)
  id!: number;

  @IsInt()
  @Min(1)
  petId!: number;

  @IsInt()
  @Min(1)
  userId!: number;

  @IsInt()
  @Min(1)
  quantity!: number;

  @IsOptional()
  @IsISO8601()
  shipDate?: string | null;

  @IsEnum(OrderStatus)
  status!: OrderStatus;

  @IsBoolean()
  complete!: boolean;
}

/** ORDER_REJECTED: no order row exists, so the payload names the reservation that could not become one. */
export class OrderRejectedPayload extends ReservationDetails {
  @IsInt()
  @Min(1)
  petId!: number;

  @IsString()
  reason!: string;
}
