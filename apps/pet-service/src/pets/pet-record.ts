import { PetSnapshot, PetStatus } from '@petstore/contracts';
import { Pet } from '@petstore/dto';
import type { Versioned } from '@petstore/platform';

/** A pet with its category and tags, as pet-service reads it. */
export interface PetRecord {
  id: number;
  name: string;
  status: PetStatus;
  version: number;
  category: { id: number; name: string } | null;
  tags: { id: number; name: string }[];
  photoUrls: string[];
  reservedByOrderId: number | null;
}

/** The row every pet query selects (see SNAPSHOT_SELECT in pets.repository.ts). */
export interface PetRow {
  id: string;
  name: string;
  status: PetStatus;
  version: number;
  category_id: string | null;
  category_name: string | null;
  tags: { id: number; name: string }[];
  photo_urls: string[];
  reserved_by_order_id: string | null;
}

export function recordOf(row: PetRow): PetRecord {
  return {
    id: Number(row.id),
    name: row.name,
    status: row.status,
    version: row.version,
    category: row.category_id === null ? null : { id: Number(row.category_id), name: row.category_name as string },
    tags: row.tags,
    photoUrls: row.photo_urls,
    reservedByOrderId: row.reserved_by_order_id === null ? null : Number(row.reserved_by_order_id),
  };
}

/** Petstore's Pet, as REST answers show it. */
export function petView(record: PetRecord): Pet {
  return {
    id: record.id,
    name: record.name,
    ...(record.category ? { category: { ...record.category } } : {}),
    photoUrls: [...record.photoUrls],
    tags: record.tags.map((tag) => ({ ...tag })),
    status: record.status,
  };
}

/** A Pet as REST answers show it, and the version it is at (its ETag). */
export function versionedView(record: PetRecord): Versioned<Pet> {
  return { resource: petView(record), version: record.version };
}

/** The payload of pet events: the Pet shape plus the order that holds the pet, if any. */
export function snapshotOf(record: PetRecord): PetSnapshot {
  return { ...(petView(record) as PetSnapshot), reservedByOrderId: record.reservedByOrderId };
}

/** How a pet's hold reads in messages: "pending (reserved by order 345)", "sold (to order 345)". */
export function describeStatus(record: Pick<PetRecord, 'status' | 'reservedByOrderId'>): string {
  if (record.status === PetStatus.Pending) return `pending (reserved by order ${record.reservedByOrderId})`;
  if (record.status === PetStatus.Sold) return `sold (to order ${record.reservedByOrderId})`;
  return record.status;
}
