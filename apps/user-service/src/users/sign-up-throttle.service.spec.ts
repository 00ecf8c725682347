import { HttpStatus } from '@nestjs/common';
import { RetryLaterException } from '@petstore/platform';
import { DataSource } from 'typeorm';
import { AuthConfig } from '../app/auth.config';
import { SignUpThrottle } from './sign-up-throttle.service';

/** A throttle whose counting statement answers `attempts` and `retryAfter` as the upsert RETURNS them. */
function setUp(attempts: number, retryAfter = 3599) {
  const query = jest.fn().mockResolvedValue([{ attempts, retryAfter }]);
  const config = { signUpMaxPerClient: 20, signUpWindowSeconds: 3600 } as AuthConfig;
  return { throttle: new SignUpThrottle({ query } as unknown as DataSource, config), query };
}

describe('SignUpThrottle', () => {
  it('counts the attempt for the client in the window, and lets the twentieth through', async () => {
    const { throttle, query } = setUp(20);
    await expect(throttle.registerAttempt('203.0.113.7')).resolves.toBeUndefined();
    expect(query).toHaveBeenCalledWith(expect.stringContaining('ON CONFLICT (client)'), ['203.0.113.7', 3600]);
  });

  it('refuses the twenty-first with 429, the limit, and the seconds left of the window as Retry-After', async () => {
    const { throttle } = setUp(21, 1200);
    const refusal = throttle.registerAttempt('203.0.113.7');
    await expect(refusal).rejects.toBeInstanceOf(RetryLaterException);
    await expect(refusal).rejects.toMatchObject({ status: HttpStatus.TOO_MANY_REQUESTS, retryAfterSeconds: 1200 });
    await expect(refusal).rejects.toThrow('too many sign-ups from this client: at most 20 in 3600 seconds; retry after 1200 seconds');
  });
});
