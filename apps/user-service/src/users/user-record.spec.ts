import { Role } from '@petstore/dto';
import { toUser } from './user-record';
import { userRecord } from './user-record.fixture';

describe('toUser', () => {
  it('leaves out what the user has not set and answers userStatus 0, as the contract types them', () => {
    expect(JSON.parse(JSON.stringify(toUser(userRecord({}))))).toEqual({ id: 2, username: 'alice', userStatus: 0, roles: [Role.Customer] });
  });

  it('answers every field the user has set, and never the password hash', () => {
    const user = toUser(userRecord({ firstName: 'Alice', lastName: 'Liddell', email: 'alice@example.com', phone: '555', userStatus: 2 }));
    expect(user).toEqual({
      id: 2,
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
