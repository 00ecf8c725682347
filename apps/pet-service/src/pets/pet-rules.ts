import { PetStatus } from '@petstore/contracts';
import { describeStatus, PetRecord } from './pet-record';

const LIFECYCLE_STATUSES: readonly PetStatus[] = [PetStatus.Pending, PetStatus.Sold];

/**
 * Why a client may not give a new pet this status, or undefined if it may: pending and sold
 * are reached only through an order.
 */
export function initialStatusRefusal(status: PetStatus): string | undefined {
  if (!LIFECYCLE_STATUSES.includes(status)) return undefined;
  return `a new pet cannot be ${status}: it starts available, an order reserves it (pending) and approving the order sells it`;
}

/**
 * Why a client write may not move the pet to `requested`, or undefined if it may: only the
 * order lifecycle moves a pet into or out of pending and sold. Keeping the status is always allowed.
 */
export function statusChangeRefusal(pet: Pick<PetRecord, 'id' | 'status' | 'reservedByOrderId'>, requested: PetStatus): string | undefined {
  if (requested === pet.status) return undefined;
  if (LIFECYCLE_STATUSES.includes(pet.status)) {
    return `pet ${pet.id} is ${describeStatus(pet)}: only the order lifecycle changes its status`;
  }
  if (LIFECYCLE_STATUSES.includes(requested)) {
    return `pet ${pet.id} cannot be set to ${requested}: only the order lifecycle moves a pet into ${requested}`;
  }
  return undefined;
}

/** Why the pet cannot be deleted, or undefined if it can. */
export function deletionRefusal(pet: Pick<PetRecord, 'id' | 'status' | 'reservedByOrderId'>): string | undefined {
  if (!LIFECYCLE_STATUSES.includes(pet.status)) return undefined;
  return `pet ${pet.id} cannot be deleted: it is ${describeStatus(pet)}`;
}

/** Why the pet cannot be reserved by this order, or undefined if it can (or already is: a retry). */
export function reservationRefusal(pet: Pick<PetRecord, 'id' | 'status' | 'reservedByOrderId'>, orderId: number): string | undefined {
  if (pet.status === PetStatus.Available) return undefined;
  if (pet.status === PetStatus.Pending && pet.reservedByOrderId === orderId) return undefined;
  return `pet ${pet.id} is not available: it is ${describeStatus(pet)}`;
}

/** The URLs once each, in the order first listed. */
export function distinctUrls(urls: string[]): string[] {
  return [...new Set(urls)];
}
