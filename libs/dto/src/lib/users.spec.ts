import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { UpdateUserDto } from './users';

function failingFields(body: object): string[] {
  return validateSync(plainToInstance(UpdateUserDto, body), { whitelist: true }).map((error) => error.property);
}

describe('UpdateUserDto', () => {
  it('changes only the fields present', () => {
    expect(failingFields({})).toEqual([]);
    expect(failingFields({ firstName: 'Ann' })).toEqual([]);
  });

  it('refuses null for a username or a password, which no user can be without', () => {
    expect(failingFields({ username: null })).toEqual(['username']);
    expect(failingFields({ password: null })).toEqual(['password']);
  });

  it('takes null for a profile field, clearing it', () => {
    expect(failingFields({ firstName: null, lastName: null, email: null, phone: null })).toEqual([]);
  });
});
