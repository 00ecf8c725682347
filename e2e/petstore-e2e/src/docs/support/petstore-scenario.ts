import { DEFAULT_PAGE_SIZE } from '@petstore/dto';
import { randomUUID } from 'node:crypto';
import { eventually } from '../../support/api';
import { STORE_OWNER } from '../../support/environment';

type PetStatus = 'available' | 'pending' | 'sold';

interface Pet {
  id?: number;
  name: string;
  category?: { id?: number; name?: string };
  photoUrls: string[];
  tags?: { id?: number; name?: string }[];
  status?: PetStatus;
}

interface Order {
  id?: number;
  petId?: number;
  quantity?: number;
  status?: string;
}

interface User {
  username?: string;
  password?: string;
  firstName?: string;
  email?: string;
  userStatus?: number;
}

/**
 * The operations of the Petstore contract as a client generated with typescript-fetch exposes
 * them, from the official document or the gateway's: the same names and parameters in both.
 */
export interface PetstoreClient {
  pet: {
    addPet(request: { pet: Pet }): Promise<Pet>;
    updatePet(request: { pet: Pet }): Promise<Pet>;
    findPetsByStatus(request: { status?: PetStatus }): Promise<Pet[]>;
    findPetsByTags(request: { tags?: string[] }): Promise<Pet[]>;
    getPetById(request: { petId: number }): Promise<Pet>;
    updatePetWithForm(request: { petId: number; name?: string; status?: PetStatus }): Promise<Pet>;
    uploadFile(request: { petId: number; additionalMetadata?: string; body: Blob }): Promise<{ code?: number; type?: string }>;
    deletePet(request: { petId: number; apiKey?: string }): Promise<void>;
  };
  store: {
    placeOrder(request: { order: Order }): Promise<Order>;
    getOrderById(request: { orderId: number }): Promise<Order>;
    getInventory(): Promise<Record<string, number>>;
    deleteOrder(request: { orderId: number }): Promise<void>;
  };
  user: {
    createUser(request: { user: User }): Promise<User>;
    createUsersWithListInput(request: { user: User[] }): Promise<unknown>;
    loginUser(request: { username: string; password: string }): Promise<string>;
    logoutUser(): Promise<void>;
    getUserByName(request: { username: string }): Promise<User>;
    updateUser(request: { username: string; user: User }): Promise<unknown>;
    deleteUser(request: { username: string }): Promise<void>;
  };
}

/** A client of the gateway acting for the holder of `token`, or for anyone without one. */
export type Connect = (token?: string) => PetstoreClient;

/** A 1×1 PNG, the smallest image the store accepts. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** The HTTP status a generated client's call failed with (it throws a ResponseError carrying the response). */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    const response = (error as { response?: Response }).response;
    if (!response) throw error;
    return response.status;
  }
}

/**
 * A customer's and the store owner's day through every operation of the Petstore contract,
 * each answered as the contract says. Uses unique names, so it runs on a store holding any data.
 */
export async function runPetstoreScenario(connect: Connect): Promise<void> {
  const suffix = randomUUID().slice(0, 8);
  const anyone = connect();

  const customerName = `client-${suffix}`;
  const password = `pw-${randomUUID()}`;
  const created = await anyone.user.createUser({ user: { username: customerName, password, email: `${customerName}@example.com` } });
  expect(created).toMatchObject({ username: customerName, userStatus: 0 });
  const customer = connect(await anyone.user.loginUser({ username: customerName, password }));
  const owner = connect(await anyone.user.loginUser(STORE_OWNER));

  const listedName = `client-listed-${suffix}`;
  await owner.user.createUsersWithListInput({ user: [{ username: listedName, password }] });
  expect(await owner.user.getUserByName({ username: listedName })).toMatchObject({ username: listedName });
  await customer.user.updateUser({ username: customerName, user: { username: customerName, firstName: 'Renamed', userStatus: 3 } });
  expect(await customer.user.getUserByName({ username: customerName })).toMatchObject({ firstName: 'Renamed', userStatus: 3 });

  const tag = `client-tag-${suffix}`;
  const pet = await owner.pet.addPet({
    pet: { name: `client-pet-${suffix}`, category: { name: `client-category-${suffix}` }, photoUrls: [], tags: [{ name: tag }] },
  });
  const petId = pet.id as number;
  expect(pet).toMatchObject({ status: 'available', tags: [{ name: tag }] });
  expect(await anyone.pet.getPetById({ petId })).toMatchObject({ id: petId, name: pet.name });
  expect(await owner.pet.updatePet({ pet: { ...pet, name: `client-pet-${suffix}-updated` } })).toMatchObject({
    name: `client-pet-${suffix}-updated`,
  });
  expect(await owner.pet.updatePetWithForm({ petId, name: `client-pet-${suffix}-formed` })).toMatchObject({ name: `client-pet-${suffix}-formed` });
  expect((await anyone.pet.findPetsByTags({ tags: [tag] })).map((found) => found.id)).toEqual([petId]);
  // The contract has no paging parameters: such a client gets the first page, available pets only.
  const available = await anyone.pet.findPetsByStatus({ status: 'available' });
  expect(available.length).toBeGreaterThan(0);
  expect(available.length).toBeLessThanOrEqual(DEFAULT_PAGE_SIZE);
  expect(available.every((found) => found.status === 'available')).toBe(true);
  expect(await owner.pet.uploadFile({ petId, additionalMetadata: 'front', body: new Blob([PNG]) })).toMatchObject({ code: 200, type: 'image/png' });

  const order = await customer.store.placeOrder({ order: { petId, quantity: 1 } });
  const orderId = order.id as number;
  const placed = await eventually(() => customer.store.getOrderById({ orderId }), 20000, `order ${orderId}`);
  expect(placed).toMatchObject({ id: orderId, petId, quantity: 1, status: 'placed' });
  const inventory = await owner.store.getInventory();
  for (const status of ['available', 'pending', 'sold']) expect(inventory[status]).toEqual(expect.any(Number));
  await customer.store.deleteOrder({ orderId });
  expect(await statusOf(customer.store.getOrderById({ orderId }))).toBe(404);

  // The cancelled order releases the pet shortly after; until then it is pending and cannot be deleted.
  await eventually(async () => ((await statusOf(owner.pet.deletePet({ petId }))) === 200 ? true : undefined), 20000, `deleting pet ${petId}`);
  expect(await statusOf(anyone.pet.getPetById({ petId }))).toBe(404);

  await customer.user.logoutUser();
  expect(await statusOf(customer.user.getUserByName({ username: customerName }))).toBe(401);
  await owner.user.deleteUser({ username: listedName });
  await owner.user.deleteUser({ username: customerName });
  expect(await statusOf(owner.user.getUserByName({ username: customerName }))).toBe(404);
}
