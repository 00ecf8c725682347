import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@petstore/platform';

/**
 * The last version of a deleted pet. A pet created again under the same id continues from it,
 * so consumers never mistake its events for stale ones.
 */
@Entity({ name: 'pet_tombstone' })
export class PetTombstoneEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber })
  id!: number;

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ name: 'deleted_at', type: 'timestamptz' })
  deletedAt!: Date;
}
