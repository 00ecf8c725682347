#!/usr/bin/env node
// Lists the messages consumers parked on the dead-letter topics, and replays chosen ones (or all
// of a consumer group's) to their original topic, once the cause is fixed. A replayed event is
// applied once: every group's inbox skips an event id it has already applied.
//
//   npm run dead-letters -- list   [--group <consumer group>] [--instance dev|test|bench] [--json]
//   npm run dead-letters -- replay --group <consumer group> (--all | --message <partition>:<offset>[,…])
//                                  [--instance dev|test|bench] [--json]
//
// The broker is KAFKA_BROKERS when set (logged in to with KAFKA_SASL_*), else the stack
// instance's own (dev by default), logged in to as the dead-letters principal.
const { parseArgs } = require('node:util');
const { logLevel } = require('kafkajs');
const topics = require('../../libs/contracts/src/lib/topics.json');
const deadLetters = require('../../libs/contracts/src/lib/dead-letters.json');
const { kafkaClient } = require('../kafka/client');
const { createStack } = require('../stack/stack');

const HEADERS = deadLetters.headers;
const DEAD_LETTER_TOPICS = Object.values(topics).map((topic) => `${topic}${deadLetters.suffix}`);

/** A client of the instance's broker (or KAFKA_BROKERS's cluster), logged in as the dead-letters principal. */
function kafkaOf(instance) {
  const stack = createStack(instance);
  const brokers = stack.environment().KAFKA_BROKERS.split(',');
  return kafkaClient({ clientId: 'dead-letters', brokers, sasl: stack.kafkaSasl('dead-letters'), logLevel: logLevel.NOTHING });
}

function headersOf(message) {
  const headers = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined && value !== null) headers[name] = value.toString();
  }
  return headers;
}

/** Every message on the dead-letter topics up to their current end, and the replays recorded there. */
async function readDeadLetters(kafka) {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map();
  try {
    for (const topic of DEAD_LETTER_TOPICS) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(high) > BigInt(low)) ends.set(`${topic}:${partition}`, BigInt(high));
      }
    }
  } finally {
    await admin.disconnect();
  }
  const parked = [];
  const replayed = new Map();
  if (ends.size === 0) return { parked, replayed };

  // A throwaway group reads from the beginning and is deleted after: no offsets are kept.
  const groupId = `dead-letters-reader-${process.pid}-${Date.now()}`;
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: DEAD_LETTER_TOPICS, fromBeginning: true });
    await new Promise((resolve, reject) => {
      const remaining = new Set(ends.keys());
      consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            const headers = headersOf(message);
            const position = `${partition}:${message.offset}`;
            if (headers[HEADERS.replayOf]) {
              replayed.set(`${topic}@${headers[HEADERS.replayOf]}`, new Date(Number(message.timestamp)));
            } else {
              parked.push({
                deadLetterTopic: topic,
                message: position,
                topic: headers[HEADERS.originalTopic],
                partition: Number(headers[HEADERS.originalPartition]),
                offset: headers[HEADERS.originalOffset],
                group: headers[HEADERS.consumerGroup],
                eventType: headers['event-type'] ?? null,
                error: headers[HEADERS.error],
                parkedAt: new Date(Number(message.timestamp)),
                key: message.key?.toString() ?? null,
                value: message.value,
                headers,
              });
            }
            const key = `${topic}:${partition}`;
            if (BigInt(message.offset) + 1n >= (ends.get(key) ?? 0n)) remaining.delete(key);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  for (const entry of parked) entry.replayedAt = replayed.get(`${entry.deadLetterTopic}@${entry.message}`) ?? null;
  return { parked, replayed };
}

function describe(entry, now = Date.now()) {
  const ageSeconds = Math.round((now - entry.parkedAt.getTime()) / 1000);
  return {
    deadLetterTopic: entry.deadLetterTopic,
    message: entry.message,
    topic: entry.topic,
    partition: entry.partition,
    offset: entry.offset,
    group: entry.group,
    eventType: entry.eventType,
    error: entry.error,
    parkedAt: entry.parkedAt.toISOString(),
    ageSeconds,
    replayedAt: entry.replayedAt ? entry.replayedAt.toISOString() : null,
  };
}

async function list(kafka, { group }) {
  const { parked } = await readDeadLetters(kafka);
  return parked.filter((entry) => !group || entry.group === group).map((entry) => describe(entry));
}

/** Sends each chosen message back to its original topic, then records the replay on its dead-letter topic. */
async function replay(kafka, { group, all, messages }) {
  const { parked } = await readDeadLetters(kafka);
  const wanted = new Set(messages);
  const chosen = parked.filter(
    (entry) =>
      entry.group === group &&
      (all ? entry.replayedAt === null : wanted.has(`${entry.deadLetterTopic}@${entry.message}`) || wanted.has(entry.message)),
  );
  const producer = kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (const entry of chosen) {
      const headers = Object.fromEntries(Object.entries(entry.headers).filter(([name]) => !name.startsWith('dlt-')));
      headers[HEADERS.replayedFrom] = `${entry.deadLetterTopic}@${entry.message}`;
      await producer.send({ topic: entry.topic, acks: -1, messages: [{ key: entry.key, value: entry.value, headers }] });
      await producer.send({
        topic: entry.deadLetterTopic,
        acks: -1,
        messages: [{ key: entry.key, value: null, headers: { [HEADERS.replayOf]: entry.message, [HEADERS.consumerGroup]: group } }],
      });
      entry.replayedAt = new Date();
    }
  } finally {
    await producer.disconnect();
  }
  return chosen.map((entry) => describe(entry));
}

function printTable(rows) {
  if (rows.length === 0) return console.log('no parked messages');
  for (const row of rows) {
    const state = row.replayedAt ? `replayed ${row.replayedAt}` : 'parked';
    console.log(
      `${row.deadLetterTopic}@${row.message}  ${row.topic}[${row.partition}]@${row.offset}  group=${row.group}  ` +
        `${row.eventType ?? '?'}  age=${row.ageSeconds}s  ${state}\n    error: ${row.error}`,
    );
  }
}

async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      group: { type: 'string' },
      all: { type: 'boolean', default: false },
      message: { type: 'string', multiple: true, default: [] },
      instance: { type: 'string', default: 'dev' },
      json: { type: 'boolean', default: false },
    },
  });
  const [command] = positionals;
  if (command !== 'list' && command !== 'replay')
    throw new Error('usage: dead-letters list|replay [options] (see tools/dead-letters/dead-letters.js)');
  const messages = values.message.flatMap((value) => value.split(',')).filter(Boolean);
  if (command === 'replay' && !values.group) throw new Error('replay needs --group: whose parked messages to replay');
  if (command === 'replay' && !values.all && messages.length === 0) throw new Error('replay needs --all or --message <partition>:<offset>');
  const kafka = kafkaOf(values.instance);
  const rows = command === 'list' ? await list(kafka, values) : await replay(kafka, { ...values, messages });
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else {
    if (command === 'replay') console.log(`replayed ${rows.length} message(s)`);
    printTable(rows);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`dead-letters: ${error.message}`);
    process.exit(1);
  });
}

module.exports = { list, replay, readDeadLetters };
