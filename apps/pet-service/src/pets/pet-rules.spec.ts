import { PetStatus } from '@petstore/contracts';
import { deletionRefusal, distinctUrls, initialStatusRefusal, reservationRefusal, statusChangeRefusal } from './pet-rules';

const available = { id: 12, status: PetStatus.Available, reservedByOrderId: null };
const pending = { id: 12, status: PetStatus.Pending, reservedByOrderId: 345 };
const sold = { id: 12, status: PetStatus.Sold, reservedByOrderId: 345 };

describe('pet rules', () => {
  it('lets a new pet start available only', () => {
    expect(initialStatusRefusal(PetStatus.Available)).toBeUndefined();
    expect(initialStatusRefusal(PetStatus.Pending)).toContain('a new pet cannot be pending');
    expect(initialStatusRefusal(PetStatus.Sold)).toContain('a new pet cannot be sold');
  });

  it('refuses a client write that moves a pet into pending or sold', () => {
    expect(statusChangeRefusal(available, PetStatus.Available)).toBeUndefined();
    expect(statusChangeRefusal(available, PetStatus.Pending)).toBe(
      'pet 12 cannot be set to pending: only the order lifecycle moves a pet into pending',
    );
    expect(statusChangeRefusal(available, PetStatus.Sold)).toContain('cannot be set to sold');
  });

  it('refuses a client write that moves a pet out of pending or sold, naming the order', () => {
    expect(statusChangeRefusal(pending, PetStatus.Available)).toBe(
      'pet 12 is pending (reserved by order 345): only the order lifecycle changes its status',
    );
    expect(statusChangeRefusal(sold, PetStatus.Pending)).toBe('pet 12 is sold (to order 345): only the order lifecycle changes its status');
  });

  it('lets a write keep a pending or sold status (a rename of a reserved pet)', () => {
    expect(statusChangeRefusal(pending, PetStatus.Pending)).toBeUndefined();
    expect(statusChangeRefusal(sold, PetStatus.Sold)).toBeUndefined();
  });

  it('deletes only pets that are neither pending nor sold', () => {
    expect(deletionRefusal(available)).toBeUndefined();
    expect(deletionRefusal(pending)).toBe('pet 12 cannot be deleted: it is pending (reserved by order 345)');
    expect(deletionRefusal(sold)).toBe('pet 12 cannot be deleted: it is sold (to order 345)');
  });

  it('reserves an available pet, accepts a retry by the holding order, refuses anyone else', () => {
    expect(reservationRefusal(available, 1)).toBeUndefined();
    expect(reservationRefusal(pending, 345)).toBeUndefined();
    expect(reservationRefusal(pending, 346)).toBe('pet 12 is not available: it is pending (reserved by order 345)');
    expect(reservationRefusal(sold, 345)).toBe('pet 12 is not available: it is sold (to order 345)');
  });

  it('keeps each photo URL once, in the order first listed', () => {
    expect(distinctUrls(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
  });
});
