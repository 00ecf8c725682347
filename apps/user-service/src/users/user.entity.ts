import { Role, User } from '@petstore/dto';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar' })
  username!: string;

  @Column({ name: 'first_name', type: 'varchar', nullable: true })
  firstName!: string | null;

  @Column({ name: 'last_name', type: 'varchar', nullable: true })
  lastName!: string | null;

  @Column({ type: 'varchar', nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', nullable: true })
  phone!: string | null;

  @Column({ name: 'user_status', type: 'int', nullable: true })
  userStatus!: number | null;

  @Column({ name: 'password_hash', type: 'varchar' })
  passwordHash!: string;

  @Column({ type: 'text', array: true })
  roles!: Role[];

  /** Bumped when the username or roles change, so tokens carrying the old ones stop working. */
  @Column({ name: 'token_version', type: 'int', default: 0 })
  tokenVersion!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** The userStatus of a user who has none: 0, as the reference Petstore server (an int field) answers. */
const USER_STATUS_UNSET = 0;

/** The user as responses show it: everything but the password hash and bookkeeping. */
export function toUser(entity: UserEntity): User {
  return {
    id: Number(entity.id),
    username: entity.username,
    firstName: entity.firstName ?? undefined,
    lastName: entity.lastName ?? undefined,
    email: entity.email ?? undefined,
    phone: entity.phone ?? undefined,
    userStatus: entity.userStatus ?? USER_STATUS_UNSET,
    roles: entity.roles,
  };
}
