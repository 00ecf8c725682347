const fs = require('node:fs');
const path = require('node:path');
const { appSourceOf } = require('../app-source');
const { ADMIN, aclBindings, credentialsOf, principalNames } = require('./principals');

const ROOT = path.resolve(__dirname, '../..');
const TOPICS = require('../../libs/contracts/src/lib/topics.json');
const EVERY_TOPIC = Object.values(TOPICS).flatMap((topic) => [topic, `${topic}.DLT`]);

/** The topics named by `Topics.<Key>` right after `pattern` in the app's code. */
function topicsAfter(source, pattern) {
  const named = [...source.matchAll(new RegExp(`${pattern}Topics\\.(\\w+)`, 'g'))].map(([, key]) => TOPICS[key]);
  return [...new Set(named)].sort();
}

function granted(principal, operation, resourceType, patternType = 'LITERAL') {
  return aclBindings()
    .filter((binding) => binding.principal === `User:${principal}` && binding.operation === operation)
    .filter((binding) => binding.resourceType === resourceType && binding.patternType === patternType)
    .map((binding) => binding.name)
    .sort();
}

const KAFKA_APPS = fs.readdirSync(path.join(ROOT, 'apps')).filter((app) => appSourceOf(app).includes('eventMessaging('));

describe('the Kafka principals', () => {
  it('give every app that uses Kafka a principal of its own', () => {
    expect(KAFKA_APPS.length).toBeGreaterThan(0);
    for (const app of KAFKA_APPS) expect(principalNames()).toContain(app);
  });

  it.each(KAFKA_APPS)(
    'let %s read only the topics it consumes, in its own group, and write what it publishes and the dead-letter topics it parks on',
    (app) => {
      const source = appSourceOf(app);
      const consumed = topicsAfter(source, '@EventPattern\\(');
      const published = topicsAfter(source, 'topic: ');
      expect(granted(app, 'READ', 'TOPIC')).toEqual(consumed);
      expect(granted(app, 'WRITE', 'TOPIC')).toEqual([...published, ...consumed.map((topic) => `${topic}.DLT`)].sort());
      expect(granted(app, 'READ', 'GROUP')).toEqual([app]);
      expect(aclBindings().filter((binding) => binding.principal === `User:${app}`)).toHaveLength(consumed.length * 2 + published.length + 1);
    },
  );

  it.each(['dead-letters', 'e2e'])(
    'let %s read every topic and dead-letter topic, use and delete groups of its own, and describe every group',
    (tool) => {
      expect(granted(tool, 'READ', 'TOPIC')).toEqual([...EVERY_TOPIC].sort());
      const [prefix] = granted(tool, 'READ', 'GROUP', 'PREFIXED');
      expect(prefix.startsWith(tool)).toBe(true);
      expect(granted(tool, 'DELETE', 'GROUP', 'PREFIXED')).toEqual([prefix]);
      expect(granted(tool, 'DESCRIBE', 'GROUP')).toEqual(['*']);
    },
  );

  it('let the dead-letter tool replay to the original topics and record each replay on the dead-letter topic', () => {
    expect(granted('dead-letters', 'WRITE', 'TOPIC')).toEqual([...EVERY_TOPIC].sort());
  });

  it('let the test suites publish (poison) messages to the original topics only', () => {
    expect(granted('e2e', 'WRITE', 'TOPIC')).toEqual(Object.values(TOPICS).sort());
  });

  it('name only topics the project creates', () => {
    for (const binding of aclBindings().filter(({ resourceType }) => resourceType === 'TOPIC')) expect(EVERY_TOPIC).toContain(binding.name);
  });

  it('leave topic creation and ACLs to the super user, who needs no ACL', () => {
    expect(aclBindings().some((binding) => binding.principal === `User:${ADMIN}`)).toBe(false);
  });

  it("give each principal a development password of its own on each instance's broker", () => {
    const passwords = [9092, 9192].flatMap((port) => principalNames().map((principal) => credentialsOf(principal, port).password));
    expect(new Set(passwords).size).toBe(passwords.length);
    expect(credentialsOf('pet-service', 9192)).toEqual({ mechanism: 'scram-sha-512', username: 'pet-service', password: 'pet-service-dev-9192' });
  });
});
