import { ErrorResponse } from '@petstore/dto';
import { randomUUID } from 'node:crypto';
import { api, ApiResponse } from '../../support/api';
import { inDatabase } from '../../support/databases';
import { serviceToken } from '../../support/service-identities';
import { stack } from '../../support/stack';

export interface PetBody {
  id: number;
  name: string;
  category?: { id: number; name: string };
  photoUrls: string[];
  tags: { id: number; name: string }[];
  status: 'available' | 'pending' | 'sold';
}

export const PET_SERVICE_URL = stack.urlOf('pet-service');

export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** A pet body with unique names, ready for addPet. */
export function newPet(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: unique('pet'),
    category: { name: unique('category') },
    photoUrls: [`https://images.example.com/${unique('photo')}.jpg`],
    tags: [{ name: unique('tag') }],
    ...overrides,
  };
}

export async function addPet(token: string, overrides: Record<string, unknown> = {}): Promise<PetBody> {
  const response = await api<PetBody>('POST', '/api/v3/pet', { token, json: newPet(overrides) });
  if (response.status !== 200) throw new Error(`addPet failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export function getPet(id: number | string): Promise<ApiResponse<PetBody | ErrorResponse>> {
  return api<PetBody | ErrorResponse>('GET', `/api/v3/pet/${id}`);
}

/** An id no pet has held yet: well past the ids the server hands out in a test run. */
export async function unusedPetId(token: string): Promise<number> {
  const probe = await addPet(token);
  await api('DELETE', `/api/v3/pet/${probe.id}`, { token });
  return probe.id + 1_000_000 + Math.floor(Math.random() * 1_000_000);
}

/** An order id far above anything order-service's sequence hands out, different on every run. */
export function unallocatedOrderId(): number {
  return 9_000_000_000_000_000 + Math.floor(Math.random() * 1_000_000_000_000);
}

/**
 * Reserves the pet on pet-service's internal API (order-service calls it; the gateway does not
 * expose it) for an order id of the caller's choosing, signed as order-service: how a spec
 * produces a real PET_RESERVED.
 */
export async function reserve(petId: number, body: Record<string, unknown>): Promise<{ status: number; body: PetBody | ErrorResponse }> {
  const response = await fetch(`${PET_SERVICE_URL}/reservations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceToken('order-service', 'pet-service')}` },
    body: JSON.stringify({ petId, ...body }),
  });
  return { status: response.status, body: (await response.json()) as PetBody | ErrorResponse };
}

export function messageOf(body: unknown): string {
  const message = (body as ErrorResponse).message;
  return Array.isArray(message) ? message.join('; ') : String(message);
}

/** The smallest PNG there is (one pixel): a photo to upload. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** How many photos photo-service holds for the pet: its registered URLs and its uploads. */
export async function photoCountOf(petId: number): Promise<number> {
  return inDatabase('photo-service', async (client) => (await client.query('SELECT 1 FROM photo WHERE pet_id = $1', [petId])).rowCount ?? 0);
}
