import { INestApplication, Logger } from '@nestjs/common';
import { createServer } from 'node:http';
import { CLOSE_DEADLINE_MS, stopInOrder } from './bootstrap';

/** An app whose HTTP server is not listening (so it drains at once) and whose close is `close`. */
function appClosingWith(close: () => Promise<void>): INestApplication {
  return { getHttpServer: () => createServer(), close } as unknown as INestApplication;
}

describe('stopInOrder', () => {
  beforeEach(() => jest.spyOn(Logger, 'error').mockImplementation(() => undefined));
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('answers exit code 0 once everything closed', async () => {
    await expect(stopInOrder(appClosingWith(async () => undefined))).resolves.toBe(0);
    expect(Logger.error).not.toHaveBeenCalled();
  });

  it('answers 1, saying what did not close, when the close outlasts its deadline (a hung broker)', async () => {
    jest.useFakeTimers();
    const stopped = stopInOrder(appClosingWith(() => new Promise<void>(() => undefined)));
    await jest.advanceTimersByTimeAsync(CLOSE_DEADLINE_MS);
    await expect(stopped).resolves.toBe(1);
    expect(Logger.error).toHaveBeenCalledWith(
      `stop did not finish cleanly: the consumers, the outbox and the connections did not close within ${CLOSE_DEADLINE_MS} ms; exiting anyway`,
      'Shutdown',
    );
  });

  it('answers 1 when the close fails', async () => {
    await expect(stopInOrder(appClosingWith(async () => Promise.reject(new Error('pool end failed'))))).resolves.toBe(1);
    expect(Logger.error).toHaveBeenCalledWith('stop did not finish cleanly: pool end failed; exiting anyway', 'Shutdown');
  });
});
