import { Role } from '@petstore/dto';
import { randomUUID } from 'node:crypto';
import { api, ApiResponse, eventually } from '../support/api';
import { STORE_OWNER } from '../support/environment';
import { serviceToken } from '../support/service-identities';
import { stack } from '../support/stack';
import { storeOwnerToken } from '../support/users';

export interface PetBody {
  id: number;
  name: string;
  status: 'available' | 'pending' | 'sold';
  photoUrls: string[];
}

export interface OrderBody {
  id: number;
  petId: number;
  quantity: number;
  shipDate?: string;
  status: 'placed' | 'approved' | 'delivered';
  complete: boolean;
}

export type Counts = Record<string, number>;

const INVENTORY_SERVICE_URL = stack.urlOf('inventory-service');

/** A new available pet with a unique name, created by the store owner through the gateway. */
export async function createPet(prefix = 'store-pet'): Promise<PetBody> {
  const response = await api<PetBody>('POST', '/api/v3/pet', {
    token: await storeOwnerToken(),
    json: { name: `${prefix}-${randomUUID().slice(0, 8)}`, photoUrls: [], status: 'available' },
  });
  if (response.status !== 200) throw new Error(`creating a pet failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The Idempotency-Key header of a write sent under a key, if one is given. */
function keyHeader(idempotencyKey: string | undefined): Record<string, string> | undefined {
  return idempotencyKey === undefined ? undefined : { 'Idempotency-Key': idempotencyKey };
}

export function placeOrder(token: string, order: Record<string, unknown>, idempotencyKey?: string): Promise<ApiResponse<OrderBody>> {
  return api<OrderBody>('POST', '/api/v3/store/order', { token, json: order, headers: keyHeader(idempotencyKey) });
}

/** Places an order that must succeed and returns it. */
export async function orderPet(token: string, petId: number, quantity = 1): Promise<OrderBody> {
  const response = await placeOrder(token, { petId, quantity });
  if (response.status !== 200) throw new Error(`ordering pet ${petId} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export function getOrder(token: string, orderId: number): Promise<ApiResponse<OrderBody>> {
  return api<OrderBody>('GET', `/api/v3/store/order/${orderId}`, { token });
}

export function cancelOrder(token: string, orderId: number, idempotencyKey?: string): Promise<ApiResponse> {
  return api('DELETE', `/api/v3/store/order/${orderId}`, { token, headers: keyHeader(idempotencyKey) });
}

export function approveOrder(token: string, orderId: number, idempotencyKey?: string): Promise<ApiResponse<OrderBody>> {
  return api<OrderBody>('POST', `/api/v3/store/order/${orderId}/approve`, { token, headers: keyHeader(idempotencyKey) });
}

export function deliverOrder(token: string, orderId: number, idempotencyKey?: string): Promise<ApiResponse<OrderBody>> {
  return api<OrderBody>('POST', `/api/v3/store/order/${orderId}/deliver`, { token, headers: keyHeader(idempotencyKey) });
}

export async function listOrders(query: Record<string, string>): Promise<OrderBody[]> {
  const response = await api<OrderBody[]>('GET', `/api/v3/store/orders?${new URLSearchParams(query)}`, {
    token: await storeOwnerToken(),
  });
  if (response.status !== 200) throw new Error(`listing orders failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** The pet's status as pet-service answers it through the gateway, or 'deleted' for a 404. */
export async function petStatus(petId: number): Promise<string> {
  const response = await api<PetBody>('GET', `/api/v3/pet/${petId}`);
  if (response.status === 404) return 'deleted';
  if (response.status !== 200) throw new Error(`reading pet ${petId} failed: ${response.status}`);
  return response.body.status;
}

/** Waits until pet-service shows the pet in `status` ('deleted' for gone). */
export function petBecomes(petId: number, status: string, timeoutMs = 20000): Promise<string> {
  return eventually(async () => ((await petStatus(petId)) === status ? status : undefined), timeoutMs, `pet ${petId} ${status}`);
}

/** The store owner as the gateway names them to a service it calls for them. */
export const STORE_OWNER_CALLER = { id: 1, username: STORE_OWNER.username, roles: [Role.StoreOwner] };

/** The pet as inventory-service's read model holds it (its internal API, called as the gateway would for the store owner), or 'absent' for a 404. */
export async function inventoryStatusOf(petId: number): Promise<string> {
  const response = await fetch(`${INVENTORY_SERVICE_URL}/inventory/pets/${petId}`, {
    headers: { authorization: `Bearer ${serviceToken('api-gateway', 'inventory-service', { user: STORE_OWNER_CALLER })}` },
  });
  if (response.status === 404) return 'absent';
  if (!response.ok) throw new Error(`reading pet ${petId} from inventory-service failed: ${response.status}`);
  return ((await response.json()) as { status: string }).status;
}

/** Waits until inventory-service's read model holds the pet so (a status, or 'absent'). */
export function inventoryBecomes(petId: number, status: string): Promise<string> {
  return eventually(
    async () => ((await inventoryStatusOf(petId)) === status ? status : undefined),
    30000,
    `inventory to show pet ${petId} ${status}`,
  );
}

export async function inventory(): Promise<Counts> {
  const response = await api<Counts>('GET', '/api/v3/store/inventory', { token: await storeOwnerToken() });
  if (response.status !== 200) throw new Error(`getInventory failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function orderInventory(): Promise<Counts> {
  const response = await api<Counts>('GET', '/api/v3/store/inventory/orders', { token: await storeOwnerToken() });
  if (response.status !== 200) throw new Error(`order inventory failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * Counts once they hold still: read until two reads a second apart agree, so events that earlier
 * specs left in flight do not move a baseline after it was taken.
 */
export async function settledCounts(read: () => Promise<Counts>, timeoutMs = 30000): Promise<Counts> {
  const deadline = Date.now() + timeoutMs;
  let previous = await read();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const current = await read();
    if (JSON.stringify(current) === JSON.stringify(previous)) return current;
    if (Date.now() > deadline) throw new Error(`counts never held still: ${JSON.stringify(current)}`);
    previous = current;
  }
}

export function plus(base: Counts, delta: Counts): Counts {
  const sum: Counts = { ...base };
  for (const [key, value] of Object.entries(delta)) sum[key] = (sum[key] ?? 0) + value;
  return sum;
}
