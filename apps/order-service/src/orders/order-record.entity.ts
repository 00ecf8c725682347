import { bigintAsNumber } from '@petstore/platform';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { OrderState } from './order-state';

/**
 * One order id's life: allocated as `requested` before the pet is reserved, `placed` when
 * PET_RESERVED arrives, and so on. `version` is the order aggregate's version: every event
 * about this order id carries the next one.
 */
@Entity({ name: 'orders' })
export class OrderRecord {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber })
  id!: number;

  @Column({ name: 'pet_id', type: 'bigint', transformer: bigintAsNumber })
  petId!: number;

  @Column({ name: 'user_id', type: 'bigint', transformer: bigintAsNumber })
  userId!: number;

  @Column({ type: 'int' })
  quantity!: number;

  @Column({ name: 'ship_date', type: 'timestamptz', nullable: true })
  shipDate!: Date | null;

  @Column({ type: 'varchar' })
  state!: OrderState;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
