import { BadRequestException } from '@nestjs/common';
import { Role } from '@petstore/dto';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { HashingAtCapacityException, PasswordHasher } from '../users/password-hasher.service';
import { UserRecord } from '../users/user-record';
import { UsersService } from '../users/users.service';
import { LoginThrottle } from './login-throttle.service';
import { SessionsService } from './sessions.service';
import { TooManyLoginAttemptsException } from './too-many-login-attempts.exception';

function setUp({ user = null as UserRecord | null, passwordMatches = false, allowed = true, hashingFull = false } = {}) {
  const users = { findForLogin: jest.fn(async () => user) };
  const hasher = {
    verify: jest.fn(async () => passwordMatches),
    refuseWhenFull: jest.fn(() => {
      if (hashingFull) throw new HashingAtCapacityException();
    }),
  };
  const throttle = {
    maxAttempts: 5,
    registerAttempt: jest.fn(async () => (allowed ? { allowed } : { allowed, limited: 'for this username', retryAfterSeconds: 120 })),
    succeeded: jest.fn(),
  };
  const expiresAt = new Date('2030-01-01T00:00:00Z');
  const issuer = { issue: jest.fn(async () => ({ token: 'signed.jwt.token', expiresAt })) };
  const service = new SessionsService(
    users as unknown as UsersService,
    hasher as unknown as PasswordHasher,
    throttle as unknown as LoginThrottle,
    issuer as unknown as TokenIssuer,
  );
  return { service, users, hasher, throttle, issuer };
}

const alice = { id: '2', username: 'alice', passwordHash: '$argon2id$hash', roles: [Role.Customer], tokenVersion: 0 } as UserRecord;
const credentials = { username: 'alice', password: 'the password' };

describe('SessionsService', () => {
  it('issues a token for the right password, clears the attempt count and knows the client from then on', async () => {
    const { service, throttle, issuer } = setUp({ user: alice, passwordMatches: true });
    await expect(service.login(credentials, '10.0.0.1')).resolves.toEqual({
      token: 'signed.jwt.token',
      expiresAt: '2030-01-01T00:00:00.000Z',
      rateLimit: 5,
    });
    expect(throttle.registerAttempt).toHaveBeenCalledWith('alice', '10.0.0.1');
    expect(throttle.succeeded).toHaveBeenCalledWith('2', 'alice', '10.0.0.1');
    expect(issuer.issue).toHaveBeenCalledWith(alice);
  });

  it('answers a wrong password and an unknown user with the same 400, still checking a hash for the unknown one', async () => {
    const wrong = setUp({ user: alice, passwordMatches: false });
    const unknown = setUp({ user: null });
    for (const { service, throttle, issuer } of [wrong, unknown]) {
      await expect(service.login(credentials, '10.0.0.1')).rejects.toThrow(new BadRequestException('invalid username or password'));
      expect(throttle.succeeded).not.toHaveBeenCalled();
      expect(issuer.issue).not.toHaveBeenCalled();
    }
    expect(unknown.hasher.verify).toHaveBeenCalledWith(undefined, 'the password');
  });

  it('refuses with 429 and the wait while the limit holds, without checking the password', async () => {
    const { service, hasher } = setUp({ user: alice, passwordMatches: true, allowed: false });
    const error = await service.login(credentials, '10.0.0.1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TooManyLoginAttemptsException);
    expect((error as TooManyLoginAttemptsException).getStatus()).toBe(429);
    expect((error as TooManyLoginAttemptsException).retryAfterSeconds).toBe(120);
    expect((error as TooManyLoginAttemptsException).message).toBe('too many login attempts for this username; retry after 120 seconds');
    expect(hasher.verify).not.toHaveBeenCalled();
  });

  it('refuses with 503 while hashing is full, before counting the attempt or reading the user', async () => {
    const { service, users, throttle, hasher } = setUp({ user: alice, passwordMatches: true, hashingFull: true });
    await expect(service.login(credentials, '10.0.0.1')).rejects.toBeInstanceOf(HashingAtCapacityException);
    expect(throttle.registerAttempt).not.toHaveBeenCalled();
    expect(users.findForLogin).not.toHaveBeenCalled();
    expect(hasher.verify).not.toHaveBeenCalled();
  });
});
