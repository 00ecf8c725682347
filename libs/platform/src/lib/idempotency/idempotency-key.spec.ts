import { BadRequestException } from '@nestjs/common';
import { MAX_IDEMPOTENCY_KEY_LENGTH, parseIdempotencyKey } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it('takes a key bare or quoted as a structured-field string, and no key as none', () => {
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey('k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH))).toHaveLength(MAX_IDEMPOTENCY_KEY_LENGTH);
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['empty quotes', '""'],
    ['too long', 'k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1)],
    ['sent twice (joined by the server)', 'first, second'],
    ['sent twice (as a list)', ['first', 'second']],
    ['with a space', 'two words'],
    ['unbalanced quotes', '"open'],
    ['a quote inside', 'a"b'],
    ['not ASCII', 'clé'],
  ])('refuses a key %s with 400 naming the header', (_case, value) => {
    expect(() => parseIdempotencyKey(value)).toThrow(BadRequestException);
    expect(() => parseIdempotencyKey(value)).toThrow(/Idempotency-Key must be given once/);
  });
});
