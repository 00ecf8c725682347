import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Order } from './orders';
import { PageQuery } from './paging';

function problemsOf(query: Record<string, unknown>): string[] {
  return validateSync(plainToInstance(PageQuery, query)).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('numbers sent as text', () => {
  it('are read as the decimals they spell', () => {
    expect(plainToInstance(PageQuery, { limit: '25', offset: '50' })).toMatchObject({ limit: 25, offset: 50 });
    expect(plainToInstance(Order, { petId: '7', quantity: '1' })).toMatchObject({ petId: 7, quantity: 1 });
    expect(problemsOf({ limit: '25', offset: '0' })).toEqual([]);
  });

  it.each(['0x10', '1e3', '0b1', '+5', ' 5', '', '5 ', 'Infinity'])('refuse %p as no integer, where Number() read a value', (text) => {
    expect(problemsOf({ limit: text })).toContain('limit must be an integer number');
  });

  it('refuse what is not text or a number, which Number() read as one', () => {
    expect(validateSync(plainToInstance(Order, { petId: true, quantity: [1] })).map((error) => error.property)).toEqual(['petId', 'quantity']);
  });

  it('refuse an offset no id can reach, before the database is asked', () => {
    expect(problemsOf({ offset: '1e30' })).toContain('offset must be an integer number');
    expect(problemsOf({ offset: '99999999999999999999' })).toEqual([`offset must not be greater than ${Number.MAX_SAFE_INTEGER}`]);
  });
});
