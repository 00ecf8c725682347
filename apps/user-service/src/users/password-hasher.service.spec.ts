import { HashingAtCapacityException, PasswordHasher } from './password-hasher.service';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher({ passwordHashConcurrency: 2, passwordHashQueueLimit: 8 });

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
    const bounded = new PasswordHasher({ passwordHashConcurrency: 1, passwordHashQueueLimit: 2 });
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
    const bounded = new PasswordHasher({ passwordHashConcurrency: 1, passwordHashQueueLimit: 1 });
    expect(() => bounded.refuseWhenFull()).not.toThrow();
    const running = bounded.hash('running');
    expect(() => bounded.refuseWhenFull()).not.toThrow();
    const waiting = bounded.hash('waiting');
    expect(() => bounded.refuseWhenFull()).toThrow(HashingAtCapacityException);
    await Promise.all([running, waiting]);
    expect(() => bounded.refuseWhenFull()).not.toThrow();
  });
});
