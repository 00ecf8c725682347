import { Transform } from 'class-transformer';

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/**
 * A number sent as text (a query string, a form field) read as the decimal it spells; anything
 * else is left as sent, for the validators to refuse naming the field. class-transformer's
 * `@Type(() => Number)` read `0x10` as 16, `1e3` as 1000, `+5` as 5, `true` as 1 and `''` as 0.
 */
export function FromDecimalText(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && DECIMAL_TEXT.test(value) ? Number(value) : value));
}
