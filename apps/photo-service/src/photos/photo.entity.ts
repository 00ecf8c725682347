import { bigintAsNumber } from '@petstore/platform';
import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryColumn } from 'typeorm';

export type PhotoSource = 'external' | 'upload';

/**
 * A photo of a pet: either an external URL the client listed (metadata only) or an uploaded
 * image whose bytes live in `data`, in the same row, so one transaction stores or removes both.
 */
@Entity({ name: 'photo' })
@Index('photo_pet', ['petId'])
export class Photo {
  @PrimaryColumn({ type: 'bigint', transformer: bigintAsNumber })
  @Generated('increment')
  id!: number;

  @Column({ name: 'pet_id', type: 'bigint', transformer: bigintAsNumber })
  petId!: number;

  /** The pet's version when the photo was registered; PET_DELETED removes only older photos. */
  @Column({ name: 'pet_version', type: 'int' })
  petVersion!: number;

  @Column({ type: 'varchar', length: 16 })
  source!: PhotoSource;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  url!: string | null;

  @Column({ name: 'content_type', type: 'varchar', length: 100, nullable: true })
  contentType!: string | null;

  @Column({ name: 'size_bytes', type: 'int', nullable: true })
  sizeBytes!: number | null;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256!: string | null;

  @Column({ name: 'additional_metadata', type: 'varchar', length: 1000, nullable: true })
  additionalMetadata!: string | null;

  @Column({ type: 'bytea', nullable: true, select: false })
  data!: Buffer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
