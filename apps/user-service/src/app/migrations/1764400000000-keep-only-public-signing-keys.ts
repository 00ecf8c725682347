import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Private signing keys leave the database: each instance now keeps its own in memory and stores
 * only the public half, for the JWKS. The keys stored until now are dropped with their private
 * halves, so tokens they signed stop verifying and their users log in again, once.
 */
export class KeepOnlyPublicSigningKeys1764400000000 implements MigrationInterface {
  name = 'KeepOnlyPublicSigningKeys1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM signing_keys`);
    await queryRunner.query(`ALTER TABLE signing_keys DROP COLUMN private_key`);
  }

  /** The private halves are gone for good; the column comes back empty of keys. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM signing_keys`);
    await queryRunner.query(`ALTER TABLE signing_keys ADD COLUMN private_key text NOT NULL`);
  }
}
