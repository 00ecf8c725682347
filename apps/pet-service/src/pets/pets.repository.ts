import { Injectable } from '@nestjs/common';
import { PetStatus } from '@petstore/contracts';
import type { PageQuery, PetVersion } from '@petstore/dto';
import { OutboxService } from '@petstore/messaging';
import { isPostgresError, PostgresErrorCode } from '@petstore/platform';
import { DataSource, EntityManager } from 'typeorm';
import { nextGeneratedId, skipTakenIds } from './id-sequence';
import { jsonArrayBytes } from './json-array';
import { PetRecord, PetRow, recordOf } from './pet-record';

/** Selects a PetRow from `p` (the pet table or a data-modifying CTE named p). */
const SNAPSHOT_SELECT = `
  SELECT p.id, p.name, p.status, p.version, p.photo_urls, p.reserved_by_order_id,
         c.id AS category_id, c.name AS category_name,
         COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY pt.position)
                   FROM pet_tag pt JOIN tag t ON t.id = pt.tag_id
                   WHERE pt.pet_id = p.id), '[]'::json) AS tags
  FROM p LEFT JOIN category c ON c.id = p.category_id`;

const FROM_PET = `WITH p AS (SELECT * FROM pet)`;

/**
 * The Pet as REST answers show it (what `petView` makes of a record), rendered by Postgres from a
 * row `s` of SNAPSHOT_SELECT's columns. A page of a thousand pets is then a thousand strings
 * joined, not a thousand rows parsed, mapped twice and serialized again.
 */
const PET_VIEW_JSON = `json_strip_nulls(json_build_object(
  'id', s.id,
  'name', s.name,
  'category', CASE WHEN s.category_id IS NULL THEN NULL ELSE json_build_object('id', s.category_id, 'name', s.category_name) END,
  'photoUrls', to_json(s.photo_urls),
  'tags', s.tags,
  'status', s.status))`;

const MAX_TRANSACTION_ATTEMPTS = 3;

/** Postgres aborts that a repeat of the transaction resolves: deadlock, serialization failure. */
function isRetryable(error: unknown): boolean {
  return isPostgresError(error, PostgresErrorCode.DeadlockDetected, PostgresErrorCode.SerializationFailure);
}

/** Bounded retries when a generated id collides with one a client chose. */
const MAX_ID_ATTEMPTS = 5;

export interface NewPet {
  id?: number;
  name: string;
  status: PetStatus;
  categoryId: number | null;
  photoUrls: string[];
}

export interface PetChanges {
  name: string;
  status: PetStatus;
  categoryId: number | null;
  photoUrls: string[];
}

/**
 * pet_db's pets. Every change is one conditional statement that bumps `version`, so the row's
 * lock orders concurrent writers and a condition checked is a condition that holds.
 */
@Injectable()
export class PetsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Runs the work in one transaction, again if Postgres aborted it to break a deadlock (two
   * writers creating the same new tags in a different order): the work is safe to repeat.
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.outbox.transaction(work);
      } catch (error) {
        if (!isRetryable(error) || attempt >= MAX_TRANSACTION_ATTEMPTS) throw error;
      }
    }
  }

  async findById(id: number, manager: EntityManager = this.dataSource.manager): Promise<PetRecord | undefined> {
    return this.one(manager, `${FROM_PET} ${SNAPSHOT_SELECT} WHERE p.id = $1`, [id]);
  }

  /** The pet, locked until the transaction ends: the read half of a read-check-write under lock. */
  async lockById(manager: EntityManager, id: number): Promise<PetRecord | undefined> {
    await manager.query(`SELECT id FROM pet WHERE id = $1 FOR UPDATE`, [id]);
    return this.findById(id, manager);
  }

  /** A page of the pets in any of the statuses, by ascending id, as a JSON array of Pets. */
  async findByStatuses(statuses: PetStatus[], page: PageQuery): Promise<Buffer> {
    return this.pageAsJson(`${FROM_PET} ${SNAPSHOT_SELECT} WHERE p.status = ANY($1) ORDER BY p.id LIMIT $2 OFFSET $3`, [
      statuses,
      page.limit,
      page.offset,
    ]);
  }

  /** A page of the pets carrying any of the tags, each once, by ascending id, as a JSON array of Pets. */
  async findByTags(tags: string[], page: PageQuery): Promise<Buffer> {
    return this.pageAsJson(
      `${FROM_PET} ${SNAPSHOT_SELECT}
       WHERE EXISTS (SELECT 1 FROM pet_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.pet_id = p.id AND t.name = ANY($1))
       ORDER BY p.id LIMIT $2 OFFSET $3`,
      [tags, page.limit, page.offset],
    );
  }

  /** Every pet, live or deleted (its tombstone), with an id above `afterId`, changed at least `settledSeconds` ago, by ascending id. */
  async versionsAfter(afterId: number, limit: number, settledSeconds: number): Promise<PetVersion[]> {
    const rows: { id: string; status: PetStatus | null; version: number; deleted: boolean }[] = await this.dataSource.query(
      `(SELECT id, status, version, false AS deleted FROM pet
        WHERE id > $1 AND updated_at <= now() - make_interval(secs => $3) ORDER BY id LIMIT $2)
       UNION ALL
       (SELECT id, NULL, version, true FROM pet_tombstone
        WHERE id > $1 AND deleted_at <= now() - make_interval(secs => $3) ORDER BY id LIMIT $2)
       ORDER BY id LIMIT $2`,
      [afterId, limit, settledSeconds],
    );
    return rows.map((row) => ({ ...row, id: Number(row.id) }));
  }

  /**
   * Inserts the pet under the id the client chose, or a generated one; undefined when the chosen
   * id is taken. A pet created again under a deleted pet's id continues that pet's version.
   */
  async insert(manager: EntityManager, pet: NewPet): Promise<{ id: number; version: number } | undefined> {
    if (pet.id !== undefined) return this.insertWithId(manager, pet.id, pet);
    for (let attempt = 1; attempt <= MAX_ID_ATTEMPTS; attempt++) {
      const id = await nextGeneratedId(manager, 'pet');
      const inserted = await this.insertWithId(manager, id, pet);
      if (inserted) return inserted;
      await skipTakenIds(manager, 'pet', id);
    }
    throw new Error(`no free pet id after ${MAX_ID_ATTEMPTS} attempts`);
  }

  private async insertWithId(manager: EntityManager, id: number, pet: NewPet): Promise<{ id: number; version: number } | undefined> {
    await this.lockIdentity(manager, id);
    const rows: { id: string; version: number }[] = await manager.query(
      `WITH tombstone AS (DELETE FROM pet_tombstone WHERE id = $1 RETURNING version)
       INSERT INTO pet (id, name, status, category_id, photo_urls, version)
       VALUES ($1, $2, $3, $4, $5, COALESCE((SELECT version FROM tombstone), 0) + 1)
       ON CONFLICT (id) DO NOTHING
       RETURNING id, version`,
      [id, pet.name, pet.status, pet.categoryId, pet.photoUrls],
    );
    return rows.length > 0 ? { id: Number(rows[0].id), version: rows[0].version } : undefined;
  }

  /** Applies a client's changes to a pet the caller holds locked. */
  async update(manager: EntityManager, id: number, changes: PetChanges): Promise<void> {
    await manager.query(
      `UPDATE pet SET name = $2, status = $3, category_id = $4, photo_urls = $5, version = version + 1, updated_at = now()
       WHERE id = $1`,
      [id, changes.name, changes.status, changes.categoryId, changes.photoUrls],
    );
  }

  async replaceTags(manager: EntityManager, petId: number, tagIds: number[]): Promise<void> {
    await manager.query(`DELETE FROM pet_tag WHERE pet_id = $1`, [petId]);
    await manager.query(
      `INSERT INTO pet_tag (pet_id, tag_id, position)
       SELECT $1, tag_id, ordinality - 1 FROM unnest($2::bigint[]) WITH ORDINALITY AS listed (tag_id, ordinality)`,
      [petId, tagIds],
    );
  }

  /** Adds an uploaded photo's URL unless the pet is gone or lists `maxUrls` already. */
  async appendPhotoUrl(manager: EntityManager, id: number, url: string, maxUrls: number): Promise<PetRecord | undefined> {
    return this.one(
      manager,
      `WITH p AS (
         UPDATE pet SET photo_urls = array_append(photo_urls, $2), version = version + 1, updated_at = now()
         WHERE id = $1 AND cardinality(photo_urls) < $3
         RETURNING *)
       ${SNAPSHOT_SELECT}`,
      [id, url, maxUrls],
    );
  }

  /**
   * Serializes a creation under an id with a deletion of that id, until the caller's transaction
   * ends. Without it a creation waiting on the deleted row's lock inserts at version 1 from the
   * snapshot it took before the deletion's tombstone committed; the tombstone then outlives the
   * new pet, and consumers skip the new pet's events as older than its deletion.
   */
  private async lockIdentity(manager: EntityManager, id: number): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('pet-id'), hashtext($1::text))`, [id]);
  }

  /** Deletes the pet only if it is neither pending nor sold; answers what it was. */
  async deleteUnreserved(manager: EntityManager, id: number): Promise<PetRecord | undefined> {
    await this.lockIdentity(manager, id);
    return this.one(manager, `WITH p AS (DELETE FROM pet WHERE id = $1 AND status NOT IN ('pending', 'sold') RETURNING *) ${SNAPSHOT_SELECT}`, [id]);
  }

  async writeTombstone(manager: EntityManager, id: number, version: number): Promise<void> {
    await manager.query(
      `INSERT INTO pet_tombstone (id, version) VALUES ($1, $2)
       ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, deleted_at = now()`,
      [id, version],
    );
  }

  /** available → pending for this order, in one conditional statement. */
  async reserve(manager: EntityManager, id: number, orderId: number): Promise<PetRecord | undefined> {
    return this.one(
      manager,
      `WITH p AS (
         UPDATE pet SET status = 'pending', reserved_by_order_id = $2, version = version + 1, updated_at = now()
         WHERE id = $1 AND status = 'available'
         RETURNING *)
       ${SNAPSHOT_SELECT}`,
      [id, orderId],
    );
  }

  /** Pending pets with an id above `afterId` and the order holding each, by ascending id, at most `limit`. */
  async pendingAfter(afterId: number, limit: number): Promise<{ id: number; orderId: number }[]> {
    const rows: { id: string; orderId: string }[] = await this.dataSource.query(
      `SELECT id, reserved_by_order_id AS "orderId" FROM pet WHERE status = 'pending' AND id > $1 ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((row) => ({ id: Number(row.id), orderId: Number(row.orderId) }));
  }

  /** pending for this order → available. */
  async release(manager: EntityManager, id: number, orderId: number): Promise<PetRecord | undefined> {
    return this.one(
      manager,
      `WITH p AS (
         UPDATE pet SET status = 'available', reserved_by_order_id = NULL, version = version + 1, updated_at = now()
         WHERE id = $1 AND status = 'pending' AND reserved_by_order_id = $2
         RETURNING *)
       ${SNAPSHOT_SELECT}`,
      [id, orderId],
    );
  }

  /** pending for this order → sold; the order stays recorded as the buyer. */
  async markSold(manager: EntityManager, id: number, orderId: number): Promise<PetRecord | undefined> {
    return this.one(
      manager,
      `WITH p AS (
         UPDATE pet SET status = 'sold', version = version + 1, updated_at = now()
         WHERE id = $1 AND status = 'pending' AND reserved_by_order_id = $2
         RETURNING *)
       ${SNAPSHOT_SELECT}`,
      [id, orderId],
    );
  }

  private async one(manager: EntityManager, sql: string, parameters: unknown[]): Promise<PetRecord | undefined> {
    const rows: PetRow[] = await manager.query(sql, parameters);
    return rows.length > 0 ? recordOf(rows[0]) : undefined;
  }

  /**
   * `sql` selects SNAPSHOT_SELECT's columns. One row per pet, written into the page here: a whole
   * page as one value would reach node-postgres as one message of hundreds of kilobytes, whose
   * buffers held pet-service's resident size about 9 MB higher under findByStatus
   * (docs/performance.md).
   */
  private async pageAsJson(sql: string, parameters: unknown[]): Promise<Buffer> {
    const rows: { pet: string }[] = await this.dataSource.query(`SELECT ${PET_VIEW_JSON}::text AS pet FROM (${sql}) s ORDER BY s.id`, parameters);
    return jsonArrayBytes(rows.map((row) => row.pet));
  }
}
