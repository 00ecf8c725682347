import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@petstore/platform';

@Entity({ name: 'tag' })
export class TagEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber })
  @Generated('increment')
  id!: number;

  @Column({ type: 'varchar', length: 100, unique: true })
  name!: string;
}
