import { HashingAtCapacityException, PasswordHasher } from './password-hasher.service';

/** A wait no hash of these tests comes near, for the ones about other limits. */
const UNBOUNDED_WAIT_MS = 600_000;

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher({ passwordHashConcurrency: 2, passwordHashQueueLimit: 8, passwordHashMaxWaitMs: UNBOUNDED_WAIT_MS });

  it('hashes with argon2id at the OWASP minimum cost, salted, never containing the password', async () => {
    const [first, second] = await Promise.all([hasher.hash('correct horse'), hasher.hash('correct horse')]);
    expect(first).toMatch(/^\$argon2id\$v=19\$/);
    expect(first.split('$')[3].split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
    expect(first).not.toBe(second);
    expect(first).not.toContain('correct horse');
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hasher.hash('correct horse');
    await expect(hasher.verify(hash, 'correct horse')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'correct horsE')).resolves.toBe(false);
  });

  it('refuses any password for an unknown user, and a hash it cannot read', async () => {
    await expect(hasher.verify(undefined, 'decoy password that matches nothing')).resolves.toBe(false);
    await expect(hasher.verify('not a hash', 'anything')).resolves.toBe(false);
  });

  it('hashes at most the configured number at once, queues a bounded number, and refuses the rest with 503 and a wait', async () => {
    const bounded = new PasswordHasher({ passwordHashConcurrency: 1, passwordHashQueueLimit: 2, passwordHashMaxWaitMs: UNBOUNDED_WAIT_MS });
    const answers = await Promise.allSettled(Array.from({ length: 5 }, (_, index) => bounded.hash(`password ${index}`)));
    expect(answers.filter((answer) => answer.status === 'fulfilled')).toHaveLength(3);
    const refused = answers.filter((answer): answer is PromiseRejectedResult => answer.status === 'rejected').map((answer) => answer.reason);
    expect(refused).toHaveLength(2);
    for (const error of refused) {
      expect(error).toBeInstanceOf(HashingAtCapacityException);
      expect((error as HashingAtCapacityException).getStatus()).toBe(503);
      expect((error as HashingAtCapacityException).retryAfterSeconds).toBeGreaterThan(0);
    }
    await expect(bounded.hash('after the flood')).resolves.toMatch(/^\$argon2id\$/);
  });

  it('refuses at once, before any other work, exactly while a hash asked for now would be refused', async () => {
    const bounded = new PasswordHasher({ passwordHashConcurrency: 1, passwordHashQueueLimit: 1, passwordHashMaxWaitMs: UNBOUNDED_WAIT_MS });
    expect(() => bounded.refuseWhenFull()).not.toThrow();
    const running = bounded.hash('running');
    expect(() => bounded.refuseWhenFull()).not.toThrow();
    const waiting = bounded.hash('waiting');
    expect(() => bounded.refuseWhenFull()).toThrow(HashingAtCapacityException);
    await Promise.all([running, waiting]);
    expect(() => bounded.refuseWhenFull()).not.toThrow();
  });

  describe('bounded in time', () => {
    /** The hasher's clock, moved by hand: hashes take what the test says, however long they really take. */
    let clock = 0;
    const timed = () => new PasswordHasher({ passwordHashConcurrency: 1, passwordHashQueueLimit: 5, passwordHashMaxWaitMs: 1000 });

    beforeEach(() => {
      clock = 0;
      jest.spyOn(performance, 'now').mockImplementation(() => clock);
    });

    afterEach(() => jest.restoreAllMocks());

    it('refuses a hash still waiting once PASSWORD_HASH_MAX_WAIT_MS has passed, and hashes those asked for since', async () => {
      const bounded = timed();
      await bounded.verify(undefined, 'a miss, timed at no time');
      const running = bounded.hash('running');
      const waitedTooLong = bounded.hash('waited too long');
      clock = 1500;
      const askedLater = bounded.hash('asked later');

      const [first, second, third] = await Promise.allSettled([running, waitedTooLong, askedLater]);

      expect(first.status).toBe('fulfilled');
      expect(second).toMatchObject({ status: 'rejected', reason: expect.any(HashingAtCapacityException) });
      expect(third.status).toBe('fulfilled');
    });

    it('refuses at once, before the queue is full, when recent hashes say it would not start in time', async () => {
      const bounded = timed();
      await bounded.verify(undefined, 'a miss, timed at no time');
      const slow = bounded.hash('takes 600 ms');
      clock = 600;
      await slow;

      const running = bounded.hash('running');
      expect(() => bounded.refuseWhenFull()).not.toThrow();
      const waiting = bounded.hash('one turn to wait: 600 ms');
      expect(() => bounded.refuseWhenFull()).toThrow(HashingAtCapacityException);
      await expect(bounded.hash('two turns to wait: 1200 ms')).rejects.toBeInstanceOf(HashingAtCapacityException);

      await expect(Promise.all([running, waiting])).resolves.toHaveLength(2);
    });
  });
});
