import { PetStatus } from '@petstore/contracts';
import { bigintAsNumber } from '@petstore/platform';
import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The read model: each pet's status as of the newest pet-events version applied. Deleted pets stay as tombstones. */
@Entity({ name: 'inventory_pet' })
export class InventoryPet {
  @PrimaryColumn({ name: 'pet_id', type: 'bigint', transformer: bigintAsNumber })
  petId!: number;

  @Column({ type: 'varchar' })
  status!: PetStatus;

  @Column({ type: 'int' })
  version!: number;

  @Column({ type: 'boolean' })
  deleted!: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
