import type { ConsoleLogger } from '@nestjs/common';
import { loadNestCommonWithDeferredTimestamps } from './deferred-nest-timestamps';

describe('loadNestCommonWithDeferredTimestamps', () => {
  const { DateTimeFormat } = Intl;
  let made: number;

  beforeEach(() => {
    made = 0;
    // Stands for ICU's formatter, counting each one made.
    Intl.DateTimeFormat = function countedDateTimeFormat(...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
      made += 1;
      return new DateTimeFormat(...args);
    } as unknown as typeof Intl.DateTimeFormat;
  });

  afterEach(() => {
    Intl.DateTimeFormat = DateTimeFormat;
    jest.restoreAllMocks();
  });

  /** Loads a fresh @nestjs/common the way the apps do, answering it and what the load answered. */
  function loadFresh(): { nest: typeof import('@nestjs/common'); deferred: boolean } {
    let loaded!: { nest: typeof import('@nestjs/common'); deferred: boolean };
    jest.isolateModules(() => {
      const deferred = loadNestCommonWithDeferredTimestamps();
      loaded = { nest: require('@nestjs/common'), deferred };
    });
    return loaded;
  }

  it('loads @nestjs/common without making a date formatter, and puts Intl.DateTimeFormat back', () => {
    const counted = Intl.DateTimeFormat;

    const { deferred } = loadFresh();

    expect(deferred).toBe(true);
    expect(made).toBe(0);
    expect(Intl.DateTimeFormat).toBe(counted);
  });

  it("makes the formatter when Nest's console logger first writes a line, with its timestamp", () => {
    const { nest } = loadFresh();
    const written: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const logger: ConsoleLogger = new nest.ConsoleLogger('Spec', { colors: false });

    logger.log('first line');
    logger.log('second line');

    expect(made).toBe(1);
    expect(written).toHaveLength(2);
    expect(written[0]).toContain(String(new Date().getFullYear()));
    expect(written[0]).toMatch(/\d{1,2}:\d{2}:\d{2}.*\[Spec\] first line/);
  });

  it('answers false when @nestjs/common was loaded before, as nothing is deferred then', () => {
    jest.isolateModules(() => {
      require('@nestjs/common');
      expect(loadNestCommonWithDeferredTimestamps()).toBe(false);
    });
  });
});
