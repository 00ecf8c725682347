const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { check } = require('./check');

const COMPOSE_FILE = path.resolve(__dirname, '../../docker-compose.yml');
const WITHOUT_COMPOSE_TOOL = null;

/** A copy of the project's compose file with one textual change, checked without a compose tool. */
function checkVariant(from, to) {
  const text = fs.readFileSync(COMPOSE_FILE, 'utf8');
  expect(text).toContain(from);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-check-'));
  const file = path.join(dir, 'docker-compose.yml');
  fs.writeFileSync(file, text.replace(from, to));
  try {
    return check(file, WITHOUT_COMPOSE_TOOL).problems;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the compose-file check without a compose tool', () => {
  it("accepts the project's compose file against the Compose Specification schema", () => {
    expect(check(COMPOSE_FILE, WITHOUT_COMPOSE_TOOL)).toMatchObject({ problems: [], validator: 'the Compose Specification schema' });
  });

  it('rejects what the Compose Specification does not allow', () => {
    expect(checkVariant('    restart: unless-stopped', '    restart: unless-stopped\n    restartt: always')).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
  });

  it("reports a Kafka image that is not the version the project's own broker runs", () => {
    expect(checkVariant('image: apache/kafka:', 'image: apache/kafka:9.9.9-')).toEqual([
      expect.stringMatching(/^service kafka: image must be apache\/kafka:\d+\.\d+\.\d+ \(tools\/kafka\/pom.xml\), is apache\/kafka:9\.9\.9-/),
    ]);
  });

  it('reports a broker setting that drifted from tools/kafka/broker.properties', () => {
    expect(checkVariant("KAFKA_NUM_PARTITIONS: '3'", "KAFKA_NUM_PARTITIONS: '6'")).toEqual([
      'service kafka: KAFKA_NUM_PARTITIONS must be 3 (tools/kafka/broker.properties), is 6',
    ]);
  });

  it('reports an app with a database or events that is not pointed at the compose Postgres or Kafka', () => {
    const text = fs.readFileSync(COMPOSE_FILE, 'utf8');
    const petService = text.slice(text.indexOf('\n  pet-service:'));
    const databaseLine = /\n {6}DATABASE_URL: [^\n]+/.exec(petService)[0];
    const kafkaLine = /\n {6}KAFKA_BROKERS: [^\n]+/.exec(petService)[0];
    const withoutBoth = petService.replace(databaseLine, '').replace(kafkaLine, '');
    expect(checkVariant(petService, withoutBoth)).toEqual([
      'service pet-service: DATABASE_URL must name a compose service, is unset',
      'service pet-service: KAFKA_BROKERS must name a compose service, is unset',
    ]);
  });
});

describe("the compose-file check of the broker's principals", () => {
  it('reports an app that logs in to Kafka with a password its SCRAM user does not have', () => {
    expect(checkVariant('KAFKA_SASL_PASSWORD: ${KAFKA_PHOTO_SERVICE_PASSWORD:-photo-service-dev-9092}', 'KAFKA_SASL_PASSWORD: guessed')).toEqual([
      'service photo-service: KAFKA_SASL_PASSWORD must be the password of its SCRAM user on kafka (${KAFKA_PHOTO_SERVICE_PASSWORD:-photo-service-dev-9092})',
    ]);
  });

  it('reports an app that logs in as another principal', () => {
    expect(checkVariant('KAFKA_SASL_USERNAME: inventory-service', 'KAFKA_SASL_USERNAME: pet-service')).toEqual([
      'service inventory-service: KAFKA_SASL_USERNAME must be inventory-service, is pet-service',
    ]);
  });

  it('reports a principal without a SCRAM user on the broker', () => {
    const e2eUser = / \\\n {10}--add-scram "SCRAM-SHA-512=\[name=e2e,[^\n]+/.exec(fs.readFileSync(COMPOSE_FILE, 'utf8'))[0];
    expect(checkVariant(e2eUser, '')).toEqual(['service kafka: no SCRAM user for the principal e2e (tools/kafka/principals.json)']);
  });

  it('reports an ACL granted beyond tools/kafka/principals.json, and one it lists that is not granted', () => {
    expect(
      checkVariant(
        'acl --allow-principal User:inventory-service --operation Write --topic pet-events.DLT --topic order-events.DLT',
        'acl --allow-principal User:inventory-service --operation Write --topic pet-events --topic order-events.DLT',
      ),
    ).toEqual([
      'ACL not granted by any kafka-acls.sh --add: User:inventory-service WRITE TOPIC pet-events.DLT LITERAL',
      'ACL granted that tools/kafka/principals.json does not list: User:inventory-service WRITE TOPIC pet-events LITERAL',
    ]);
  });

  it('reports a consumer group whose coordinator the init service does not wait for', () => {
    expect(checkVariant('--group inventory-service --group photo-service > /dev/null', '--group photo-service > /dev/null')).toEqual([
      'consumer group inventory-service (tools/kafka/principals.json) is not described by any kafka-consumer-groups.sh --describe, so its app may start before the group coordinator',
    ]);
  });
});
