import { BadRequestException } from '@nestjs/common';
import { validationPipe } from './bootstrap';
import { ParseIdPipe } from './parse-id.pipe';

describe('ParseIdPipe', () => {
  const pipe = new ParseIdPipe();
  const metadata = { type: 'param' as const, data: 'petId' };

  it('reads a positive integer id', () => {
    expect(pipe.transform('42', metadata)).toBe(42);
    expect(pipe.transform(String(Number.MAX_SAFE_INTEGER), metadata)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each(['0', '-1', '1.5', 'abc', '', '1e3', '9007199254740992', '99999999999999999999'])('refuses %p with 400 naming the parameter', (raw) => {
    expect(() => pipe.transform(raw, metadata)).toThrow(BadRequestException);
    expect(() => pipe.transform(raw, metadata)).toThrow(/^petId must be a positive integer/);
  });

  it.each(['0x5', '5e0', '+5', ' 5', '5.0', '0b101'])('refuses %p after the app validation pipe that runs first, naming it as sent', async (raw) => {
    const asTheAppPassesIt = await validationPipe().transform(raw, { ...metadata, metatype: Number });
    expect(() => pipe.transform(asTheAppPassesIt, metadata)).toThrow(
      `petId must be a positive integer up to ${Number.MAX_SAFE_INTEGER}, got '${raw}'`,
    );
  });
});
