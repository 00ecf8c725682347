import { Role } from '@petstore/dto';
import { toUser, UserEntity } from './user.entity';

function userEntity(values: Partial<UserEntity>): UserEntity {
  return Object.assign(new UserEntity(), {
    id: '7',
    username: 'alice',
    firstName: null,
    lastName: null,
    email: null,
    phone: null,
    userStatus: null,
    passwordHash: '$argon2id$hash',
    roles: [Role.Customer],
    tokenVersion: 0,
    ...values,
  });
}

describe('toUser', () => {
  it('leaves out what the user has not set and answers userStatus 0, as the contract types them', () => {
    expect(JSON.parse(JSON.stringify(toUser(userEntity({}))))).toEqual({ id: 7, username: 'alice', userStatus: 0, roles: [Role.Customer] });
  });

  it('answers every field the user has set, and never the password hash', () => {
    const user = toUser(userEntity({ firstName: 'Alice', lastName: 'Liddell', email: 'alice@example.com', phone: '555', userStatus: 2 }));
    expect(user).toEqual({
      id: 7,
      username: 'alice',
      firstName: 'Alice',
      lastName: 'Liddell',
      email: 'alice@example.com',
      phone: '555',
      userStatus: 2,
      roles: [Role.Customer],
    });
  });
});
