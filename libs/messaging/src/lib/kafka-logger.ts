import { Logger, LoggerService } from '@nestjs/common';
import { logCreator, LogEntry, logLevel } from 'kafkajs';

/** How long kafkajs' repeats of one message are counted rather than logged. */
export const KAFKA_LOG_REPEAT_WINDOW_MS = 30_000;

const METHOD_OF: Record<logLevel, 'error' | 'warn' | 'log' | 'debug' | undefined> = {
  [logLevel.NOTHING]: undefined,
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'log',
  [logLevel.DEBUG]: 'debug',
};

/**
 * What kafkajs logs as an error though it is its routine recovery, logged as a warning, with what
 * it means here when its own text does not say: a member the coordinator dropped (its session
 * ran out while the broker or the app was paused) rejoins, and every consumer of a group says so
 * at once after a broker comes back; a group whose committed offset expired goes on from the
 * oldest message kept, and what the expired events would have done is made up for elsewhere.
 */
const ROUTINE_RECOVERIES = new Map([
  ['The coordinator is not aware of this member, re-joining the group', ''],
  [
    'Offset out of range, resetting to default offset',
    "the group's committed offset is older than the oldest message the partition keeps (its retention passed this consumer by), " +
      "so it goes on from the oldest; the services' checks against the data's owners set right what the expired events would " +
      'have changed (read_model_corrections_total), and the placement deadline rejects an order whose PET_RESERVED expired',
  ],
]);

/** Said by the app's own log line (its time, and that kafkajs wrote it), or the line's text. */
const NOT_DETAILS = new Set(['message', 'timestamp', 'logger']);

/**
 * kafkajs logs every attempt of its retries: while a broker is away each client logs two errors
 * a reconnection attempt, dozens a minute in every app, each saying what the first said (and
 * what /health and the consumer's own "consumer crashed" line already say). The first of each message
 * (its level, namespace, text and error) in a window of `windowMs` is logged whole; the repeats
 * are counted, and how many there were is logged once when the window ends. The first line
 * keeps its details, so the log loses only copies.
 */
export function kafkaLogCreator(clientId: string, logger: LoggerService = new Logger(clientId), windowMs = KAFKA_LOG_REPEAT_WINDOW_MS): logCreator {
  return () => {
    const repeats = new Map<string, { count: number }>();
    return ({ namespace, level, log }: LogEntry) => {
      const recovery = level === logLevel.ERROR ? ROUTINE_RECOVERIES.get(log.message) : undefined;
      const method = METHOD_OF[recovery === undefined ? level : logLevel.WARN];
      if (!method) return;
      const details = Object.fromEntries(Object.entries(log).filter(([key]) => !NOT_DETAILS.has(key)));
      const what = `[${namespace}] ${log.message}${recovery ? `: ${recovery}` : ''}`;
      const key = `${level} ${what} ${String(details['error'] ?? '')}`;
      const seen = repeats.get(key);
      if (seen) {
        seen.count++;
        return;
      }
      logger[method]?.(`${what} ${JSON.stringify(details)}`);
      const window = { count: 0 };
      repeats.set(key, window);
      setTimeout(() => {
        repeats.delete(key);
        if (window.count > 0) logger[method]?.(`${what}: ${window.count} more like it in the ${windowMs / 1000} s since`);
      }, windowMs).unref();
    };
  };
}
