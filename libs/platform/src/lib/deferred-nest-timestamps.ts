/**
 * @nestjs/common makes an `Intl.DateTimeFormat` for its console logger's timestamps as it loads
 * (one in `Logger`, one in `ConsoleLogger`). Making the first one loads ICU's data for the
 * default locale, its calendar and date patterns: about 7 MB of resident memory in every app,
 * 5 MB of it pages of the ICU data built into node (docs/decisions.md). The apps log through pino, with
 * ISO timestamps, once bootstrap hands Nest their logger, so Nest's formatter only formats a line
 * if an app fails before that. Loading @nestjs/common while `Intl.DateTimeFormat` makes deferred
 * formatters, each making the real one on first use, leaves that cost to a use that seldom comes.
 *
 * Answers whether @nestjs/common made a formatter as it loaded: false when it was already loaded
 * (it must not be, for this to help) or a release stopped making one.
 */
export function loadNestCommonWithDeferredTimestamps(): boolean {
  const { DateTimeFormat } = Intl;
  let deferredMade = false;
  Intl.DateTimeFormat = function deferredDateTimeFormat(...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
    deferredMade = true;
    return deferredFormatter(() => new DateTimeFormat(...args));
  } as unknown as typeof Intl.DateTimeFormat;
  try {
    // Required, not imported: it must load exactly while the deferred constructor is in place.
    require('@nestjs/common');
  } finally {
    Intl.DateTimeFormat = DateTimeFormat;
  }
  return deferredMade;
}

/** Stands in for the formatter `make` answers, making it on first use of any of its members. */
function deferredFormatter(make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let formatter: Intl.DateTimeFormat | undefined;
  return new Proxy({} as Intl.DateTimeFormat, {
    get(_target, member) {
      formatter ??= make();
      const value = Reflect.get(formatter, member);
      return typeof value === 'function' ? value.bind(formatter) : value;
    },
  });
}
