// Makes sure the broker has each topic: creates the missing ones with the partitions asked for
// (replication factor 1, a single broker), and warns of an existing one with fewer. Dead-letter
// topics (`<topic>.DLT`) are kept without a time limit, set on one created before they were.
// kafka.sh runs it on every start, where a TopicCommand JVM per topic took seconds.
//
//   node tools/kafka/topics.js <host:port> <partitions> <topic>...
const { ConfigResourceTypes } = require('kafkajs');
const deadLetters = require('../../libs/contracts/src/lib/dead-letters.json');
const { withAdmin } = require('./admin-client');

/**
 * A dead letter stays until it is replayed or someone removes it (retention.ms -1): under the
 * broker's retention (7 days) an event parked on a Friday and not looked at for a week would be
 * gone, and with it the only copy of what the consumer could not apply.
 */
const DEAD_LETTER_TOPIC_CONFIG = Object.entries(deadLetters.topicConfig).map(([name, value]) => ({ name, value }));

function isDeadLetterTopic(topic) {
  return topic.endsWith(deadLetters.suffix);
}

function log(message) {
  process.stderr.write(`[kafka] ${message}\n`);
}

async function ensureTopics(bootstrap, partitions, topics) {
  return withAdmin(bootstrap, 'kafka-sh-topics', async (admin) => {
    const existing = new Map((await admin.fetchTopicMetadata()).topics.map((topic) => [topic.name, topic.partitions.length]));
    const missing = topics.filter((topic) => !existing.has(topic));
    const fewer = topics.filter((topic) => existing.has(topic) && existing.get(topic) < partitions).map((topic) => [topic, existing.get(topic)]);
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: 1,
          ...(isDeadLetterTopic(topic) ? { configEntries: DEAD_LETTER_TOPIC_CONFIG } : {}),
        })),
        waitForLeaders: true,
      });
    }
    const expiring = await deadLetterTopicsThatExpire(
      admin,
      topics.filter((topic) => existing.has(topic) && isDeadLetterTopic(topic)),
    );
    if (expiring.length > 0) {
      await admin.alterConfigs({
        validateOnly: false,
        resources: expiring.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configEntries: DEAD_LETTER_TOPIC_CONFIG })),
      });
    }
    return { missing, fewer, keptForGood: expiring };
  });
}

/** Those of the dead-letter topics whose messages still expire (created before they were kept for good). */
async function deadLetterTopicsThatExpire(admin, deadLetterTopics) {
  if (deadLetterTopics.length === 0) return [];
  const { resources } = await admin.describeConfigs({
    resources: deadLetterTopics.map((name) => ({
      type: ConfigResourceTypes.TOPIC,
      name,
      configNames: DEAD_LETTER_TOPIC_CONFIG.map((entry) => entry.name),
    })),
    includeSynonyms: false,
  });
  const set = ({ configEntries }) =>
    DEAD_LETTER_TOPIC_CONFIG.every(({ name, value }) => configEntries.find((entry) => entry.configName === name)?.configValue === value);
  return resources.filter((resource) => !set(resource)).map((resource) => resource.resourceName);
}

if (require.main === module) {
  const [bootstrap, partitionsArgument, ...topics] = process.argv.slice(2);
  const partitions = Number(partitionsArgument);
  if (!bootstrap?.includes(':') || !Number.isInteger(partitions) || partitions < 1 || topics.length === 0) {
    process.stderr.write('usage: topics.js <host:port> <partitions> <topic>...\n');
    process.exit(2);
  }
  ensureTopics(bootstrap, partitions, topics).then(
    ({ missing, fewer, keptForGood }) => {
      for (const [topic, count] of fewer) log(`warning: topic ${topic} has ${count} partitions (< ${partitions}); 'reset' then 'start' recreates it`);
      if (keptForGood.length > 0) log(`dead letters now kept until replayed or removed: ${keptForGood.join(' ')}`);
      log(
        missing.length > 0
          ? `created topics (${partitions} partitions, replication factor 1): ${missing.join(' ')}`
          : `topics present: ${topics.join(' ')}`,
      );
    },
    (error) => {
      log(`ensuring the topics failed: ${error.message}`);
      process.exit(1);
    },
  );
}

module.exports = { ensureTopics, DEAD_LETTER_TOPIC_CONFIG };
