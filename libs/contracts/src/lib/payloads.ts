import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsEnum, IsISO8601, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { MAX_ID } from './ids';
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

/**
 * One order's hold on one pet: the body of pet-service's reservation call, and the part of
 * every event about that hold (PET_RESERVED, PET_RESERVATION_RELEASED, ORDER_REJECTED).
 */
export class Reservation {
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  orderId!: number;

  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  petId!: number;

  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  userId!: number;

  @IsInt()
  @Min(1)
  quantity!: number;

  @IsOptional()
  @IsISO8601({ strict: true })
  shipDate?: string | null;
}

/** PET_RESERVED and PET_RESERVATION_RELEASED: the pet snapshot plus the reservation it concerns. */
export class PetReservationPayload extends PetSnapshot {
  @ValidateNested()
  @Type(() => Reservation)
  reservation!: Reservation;
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

/** ORDER_REJECTED: the reservation that could not become an order, and why. */
export class OrderRejectedPayload {
  @ValidateNested()
  @Type(() => Reservation)
  reservation!: Reservation;

  @IsString()
  reason!: string;
}
