import { OrderStatus } from '@petstore/contracts';
import { bigintAsNumber } from '@petstore/platform';
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Each order's status as of the newest order-events version applied; cancelled orders stay as tombstones. */
@Entity({ name: 'inventory_order' })
export class InventoryOrder {
  @PrimaryColumn({ name: 'order_id', type: 'bigint', transformer: bigintAsNumber })
  orderId!: number;

  @Column({ name: 'pet_id', type: 'bigint', transformer: bigintAsNumber })
  petId!: number;

  @Column({ type: 'varchar' })
  status!: OrderStatus;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'boolean' })
  cancelled!: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
