import { Column, Entity, Generated, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@petstore/platform';

@Entity({ name: 'category' })
export class CategoryEntity {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber })
  @Generated('increment')
  id!: number;

  @Column({ type: 'varchar', length: 100, unique: true })
  name!: string;
}
