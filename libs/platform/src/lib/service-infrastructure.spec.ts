import { Logger } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { FIRST_CHECK_ATTEMPTS, FIRST_CHECK_RETRY_MS, firstCheckAfterStart } from './service-infrastructure';

jest.mock('node:timers/promises', () => ({ setTimeout: jest.fn(() => Promise.resolve()) }));

describe('firstCheckAfterStart', () => {
  beforeEach(() => {
    jest.spyOn(Logger, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.clearAllMocks());

  it('makes the pass once when it completes', async () => {
    const pass = jest.fn(async () => true);

    await firstCheckAfterStart('SomeCheck', pass);

    expect(pass).toHaveBeenCalledTimes(1);
    expect(delay).not.toHaveBeenCalled();
  });

  it('makes it again every FIRST_CHECK_RETRY_MS while it fails (the service it asks still starting), until one completes', async () => {
    const pass = jest
      .fn<Promise<boolean>, []>()
      .mockResolvedValueOnce(false)
      .mockRejectedValueOnce(new Error('fetch failed'))
      .mockResolvedValue(true);

    await firstCheckAfterStart('SomeCheck', pass);

    expect(pass).toHaveBeenCalledTimes(3);
    expect(delay).toHaveBeenCalledTimes(2);
    expect(delay).toHaveBeenCalledWith(FIRST_CHECK_RETRY_MS, undefined, { ref: false });
    expect(Logger.warn).toHaveBeenCalledWith('fetch failed', 'SomeCheck');
    expect(Logger.log).toHaveBeenCalledWith(
      `the first check after start did not complete; trying again in ${FIRST_CHECK_RETRY_MS / 1000} s (attempt 2 of ${FIRST_CHECK_ATTEMPTS})`,
      'SomeCheck',
    );
  });

  it(`gives up after ${FIRST_CHECK_ATTEMPTS} attempts, leaving the rest to the check's interval`, async () => {
    const pass = jest.fn(async () => false);

    await firstCheckAfterStart('SomeCheck', pass);

    expect(pass).toHaveBeenCalledTimes(FIRST_CHECK_ATTEMPTS);
    expect(delay).toHaveBeenCalledTimes(FIRST_CHECK_ATTEMPTS - 1);
  });
});
