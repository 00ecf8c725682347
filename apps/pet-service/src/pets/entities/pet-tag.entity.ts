import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@petstore/platform';

/** A tag on a pet, in the order the client listed its tags. */
@Entity({ name: 'pet_tag' })
@Index('pet_tag_tag', ['tagId'])
export class PetTagEntity {
  @PrimaryColumn({ name: 'pet_id', type: 'bigint', transformer: bigintAsNumber })
  petId!: number;

  @PrimaryColumn({ name: 'tag_id', type: 'bigint', transformer: bigintAsNumber })
  tagId!: number;

  @Column({ type: 'int' })
  position!: number;
}
