import { BadRequestException, PreconditionFailedException } from '@nestjs/common';
import { entityTagOf, ifNoneMatchHits, VersionPrecondition } from './conditional-requests';

describe('ifNoneMatchHits', () => {
  it('matches If-None-Match lists, weak tags and *, and nothing without the header', () => {
    const entityTag = entityTagOf(12);
    expect(ifNoneMatchHits('"12"', entityTag)).toBe(true);
    expect(ifNoneMatchHits('"x", W/"12"', entityTag)).toBe(true);
    expect(ifNoneMatchHits('*', entityTag)).toBe(true);
    expect(ifNoneMatchHits('"13"', entityTag)).toBe(false);
    expect(ifNoneMatchHits(undefined, entityTag)).toBe(false);
    expect(ifNoneMatchHits(['"12"', '"12"'], entityTag)).toBe(false);
  });
});

describe('VersionPrecondition', () => {
  it('allows exactly the versions whose entity tags it lists', () => {
    const precondition = VersionPrecondition.parse(`${entityTagOf(3)}, "5"`);
    expect([2, 3, 4, 5].map((version) => precondition?.allows(version))).toEqual([false, true, false, true]);
    expect(precondition?.header).toBe('"3", "5"');
  });

  it('allows any version for *, and is undefined without the header', () => {
    expect(VersionPrecondition.parse('*')?.allows(41)).toBe(true);
    expect(VersionPrecondition.parse(undefined)).toBeUndefined();
  });

  it('compares strongly: a weak tag, or one the store never gave, matches no version', () => {
    expect(VersionPrecondition.parse('W/"3"')?.allows(3)).toBe(false);
    expect(VersionPrecondition.parse('"abc", "3.0", "-3", "", "1234567890123456"')?.allows(3)).toBe(false);
  });

  it('refuses a write to a resource at a version it does not list with 412, naming the resource, its current tag and the one sent', () => {
    const precondition = VersionPrecondition.parse('"3"');
    expect(() => precondition?.assertAllows(3, 'user alice')).not.toThrow();
    expect(() => precondition?.assertAllows(4, 'user alice')).toThrow(PreconditionFailedException);
    expect(() => precondition?.assertAllows(4, 'user alice')).toThrow('user alice changed since it was read: it is at "4", not "3"');
  });

  it.each([
    ['empty', ''],
    ['unquoted', '3'],
    ['unbalanced quotes', '"3'],
    ['a trailing comma', '"3",'],
    ['* in a list', '*, "3"'],
    ['a space inside the quotes', '"3 4"'],
  ])('refuses an If-Match %s with 400 naming the header', (_case, value) => {
    expect(() => VersionPrecondition.parse(value)).toThrow(BadRequestException);
    expect(() => VersionPrecondition.parse(value)).toThrow(/If-Match must be \* or a list of entity tags/);
  });
});
