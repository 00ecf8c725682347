import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateUserDto, LoginDto, normalizedUsername, UpdateUserDto, USERNAME_RULE, usernameProblem } from './users';

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

describe('usernames', () => {
  const createErrors = (username: unknown) =>
    validateSync(plainToInstance(CreateUserDto, { username, password: 'password-1' })).flatMap((error) => Object.values(error.constraints ?? {}));

  it('are normalized to NFKC, so a fullwidth or ligature spelling is the plain name it looks like', () => {
    expect(plainToInstance(CreateUserDto, { username: 'ａｌｉｃｅ' }).username).toBe('alice');
    expect(plainToInstance(LoginDto, { username: 'ﬁona' }).username).toBe('fiona');
    expect(createErrors('ａｌｉｃｅ')).toEqual([]);
  });

  it('refuse letters of other scripts, so a look-alike of an existing name cannot be registered', () => {
    expect(createErrors('аlice')).toEqual([USERNAME_RULE]);
    expect(createErrors('bοb')).toEqual([USERNAME_RULE]);
  });

  it('refuse control and invisible characters with a 400 that says so', () => {
    for (const name of ['al\u0007ice', 'al\u200dice', 'al\u202eice', 'alice\n']) {
      expect(usernameProblem(normalizedUsername(name))).toBe('username must not contain control or invisible characters');
      expect(createErrors(name)).toEqual(['username must not contain control or invisible characters']);
    }
  });
});
