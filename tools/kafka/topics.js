// Makes sure the broker has each topic: creates the missing ones with the partitions asked for
// (replication factor 1, a single broker), and warns of an existing one with fewer. kafka.sh
// runs it on every start, where a TopicCommand JVM per topic took seconds.
//
//   node tools/kafka/topics.js <host:port> <partitions> <topic>...
const { withAdmin } = require('./admin-client');

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
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
        waitForLeaders: true,
      });
    }
    return { missing, fewer };
  });
}

if (require.main === module) {
  const [bootstrap, partitionsArgument, ...topics] = process.argv.slice(2);
  const partitions = Number(partitionsArgument);
  if (!bootstrap?.includes(':') || !Number.isInteger(partitions) || partitions < 1 || topics.length === 0) {
    process.stderr.write('usage: topics.js <host:port> <partitions> <topic>...\n');
    process.exit(2);
  }
  ensureTopics(bootstrap, partitions, topics).then(
    ({ missing, fewer }) => {
      for (const [topic, count] of fewer) log(`warning: topic ${topic} has ${count} partitions (< ${partitions}); 'reset' then 'start' recreates it`);
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

module.exports = { ensureTopics };
