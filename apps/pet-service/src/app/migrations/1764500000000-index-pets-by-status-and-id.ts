import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The status index becomes (status, id). A statement that changes one pet, `WHERE id = $1 AND
 * status = 'available'`, then finds it in one lookup whichever index its plan takes: with the
 * status alone, a generic plan cached while the table had no statistics scanned every pet in
 * that status for each reservation. findByStatus reads one status in id order from it.
 */
export class IndexPetsByStatusAndId1764500000000 implements MigrationInterface {
  name = 'IndexPetsByStatusAndId1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX pet_status_id ON pet (status, id)`);
    await queryRunner.query(`DROP INDEX pet_status`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX pet_status ON pet (status)`);
    await queryRunner.query(`DROP INDEX pet_status_id`);
  }
}
