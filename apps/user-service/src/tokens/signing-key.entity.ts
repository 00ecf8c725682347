import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The key pair user-service signs tokens with; the private half is read only by this service. */
@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'varchar' })
  kid!: string;

  @Column({ type: 'varchar' })
  algorithm!: string;

  @Column({ name: 'private_key', type: 'text' })
  privateKey!: string;

  @Column({ name: 'public_key', type: 'text' })
  publicKey!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
