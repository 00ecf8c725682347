import { LoggerService } from '@nestjs/common';
import { LogEntry, logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-logger';

function recorder() {
  const lines: [string, string][] = [];
  const logger: LoggerService = {
    log: (message: string) => lines.push(['log', message]),
    warn: (message: string) => lines.push(['warn', message]),
    error: (message: string) => lines.push(['error', message]),
    debug: (message: string) => lines.push(['debug', message]),
  };
  return { lines, logger };
}

function entry(level: logLevel, namespace: string, message: string, details: Record<string, unknown> = {}): LogEntry {
  return { namespace, level, label: logLevel[level], log: { timestamp: new Date().toISOString(), logger: 'kafkajs', message, ...details } };
}

const REFUSED = { broker: '127.0.0.1:9092', error: 'connect ECONNREFUSED 127.0.0.1:9092' };

describe('kafkaLogCreator', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('logs a member rejoining after the coordinator dropped it as the warning it is, not an error', () => {
    const { lines, logger } = recorder();
    const log = kafkaLogCreator('inventory-service-consumer', logger, 30_000)(logLevel.WARN);
    log(entry(logLevel.ERROR, 'Runner', 'The coordinator is not aware of this member, re-joining the group', { groupId: 'inventory-service' }));
    log(entry(logLevel.ERROR, 'Consumer', 'Crash: KafkaJSNumberOfRetriesExceeded: Connection error'));
    expect(lines.map(([level]) => level)).toEqual(['warn', 'error']);
  });

  it('logs a group resetting an expired offset as a warning that says what makes up for the events it missed', () => {
    const { lines, logger } = recorder();
    const log = kafkaLogCreator('pet-service-consumer', logger, 30_000)(logLevel.WARN);
    log(entry(logLevel.ERROR, 'ConsumerGroup', 'Offset out of range, resetting to default offset', { topic: 'order-events', partition: 1 }));

    expect(lines).toEqual([
      ['warn', expect.stringMatching(/^\[ConsumerGroup\] Offset out of range, resetting to default offset: the group's committed offset/)],
    ]);
    expect(lines[0][1]).toContain('read_model_corrections_total');
    expect(lines[0][1]).toContain('{"topic":"order-events","partition":1}');
  });

  it("logs the first of kafkajs' repeated messages whole, at its level, and then how many copies followed in the window", () => {
    const { lines, logger } = recorder();
    const log = kafkaLogCreator('pet-service-consumer', logger, 30_000)(logLevel.WARN);

    for (let attempt = 0; attempt < 5; attempt++) log(entry(logLevel.ERROR, 'Connection', 'Connection error', REFUSED));
    expect(lines).toEqual([['error', '[Connection] Connection error {"broker":"127.0.0.1:9092","error":"connect ECONNREFUSED 127.0.0.1:9092"}']]);

    jest.advanceTimersByTime(30_000);
    expect(lines[1]).toEqual(['error', '[Connection] Connection error: 4 more like it in the 30 s since']);

    log(entry(logLevel.ERROR, 'Connection', 'Connection error', REFUSED));
    expect(lines).toHaveLength(3);
    expect(lines[2][1]).toContain('ECONNREFUSED');
  });

  it('keeps apart what differs in level, namespace, text or error, and says nothing more of a message that was not repeated', () => {
    const { lines, logger } = recorder();
    const log = kafkaLogCreator('order-service-consumer', logger, 30_000)(logLevel.WARN);

    log(entry(logLevel.ERROR, 'Connection', 'Response Heartbeat(key: 12, version: 3)', { error: 'The coordinator is not aware of this member' }));
    log(entry(logLevel.ERROR, 'Connection', 'Response Heartbeat(key: 12, version: 3)', { error: 'The group is rebalancing, so a rejoin is needed' }));
    log(entry(logLevel.ERROR, 'Consumer', 'Crash: KafkaJSNumberOfRetriesExceeded: Connection error'));
    log(entry(logLevel.WARN, 'Consumer', 'Crash: KafkaJSNumberOfRetriesExceeded: Connection error'));
    jest.advanceTimersByTime(30_000);

    expect(lines.map(([level, message]) => [level, message.split(' {')[0]])).toEqual([
      ['error', '[Connection] Response Heartbeat(key: 12, version: 3)'],
      ['error', '[Connection] Response Heartbeat(key: 12, version: 3)'],
      ['error', '[Consumer] Crash: KafkaJSNumberOfRetriesExceeded: Connection error'],
      ['warn', '[Consumer] Crash: KafkaJSNumberOfRetriesExceeded: Connection error'],
    ]);
  });
});
