import { PetStatus } from '@petstore/contracts';
import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber } from '@petstore/platform';

/**
 * A pet. `version` grows by one with every change and is the aggregateVersion of its events;
 * `reservedByOrderId` names the order that reserved (pending) or bought (sold) it.
 */
@Entity({ name: 'pet' })
@Index('pet_status', ['status'])
export class PetEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber })
  @Generated('increment')
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: PetStatus;

  @Column({ name: 'category_id', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  categoryId!: number | null;

  @Column({ name: 'photo_urls', type: 'varchar', length: 2048, array: true, default: () => "'{}'" })
  photoUrls!: string[];

  @Column({ name: 'reserved_by_order_id', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  reservedByOrderId!: number | null;

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
