import { MetricName } from '@petstore/platform';
import { connect, Socket } from 'node:net';
import { scrape } from '../observability/metrics';
import { valueOf } from '../observability/prometheus-text';
import { createPet, PetBody } from '../store/store-fixtures';
import { api, eventually } from '../support/api';
import { GATEWAY_URL } from '../support/environment';
import { atTheDefaultOf } from './support/faults';

const DEFAULT_CAP = 100;

/** The flooder's own address (Linux answers every 127/8 address on loopback): the suite's other requests come from 127.0.0.1. */
const FLOODER = '127.0.0.3';

function openConnection(): Promise<Socket> {
  const { hostname, port } = new URL(GATEWAY_URL);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress: FLOODER }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything the gateway sends on the connection until it closes it. */
function answerOn(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(answer));
  });
}

const requestLineFor = (pet: PetBody) => `GET /api/v3/pet/${pet.id} HTTP/1.1\r\nHost: gateway\r\n`;
const LAST_HEADERS = 'Connection: close\r\n\r\n';

/** Reads the pet on a new connection of the flooder's and answers what the gateway sent. */
async function readOnNewConnection(pet: PetBody): Promise<string> {
  const socket = await openConnection();
  const answer = answerOn(socket);
  socket.write(requestLineFor(pet) + LAST_HEADERS);
  return answer;
}

function bodyOf(answer: string): unknown {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

/**
 * A client opening connection after connection and trickling a request's headers on each (66 s
 * allowed) would hold a file descriptor and memory of the gateway's per connection, as many as it
 * likes. The gateway runs here with its default `TRUST_PROXY` (none: the suite's gateway trusts
 * its loopback proxy, and a trusted proxy's connections are not capped), restarted before and after.
 */
describe('a client holding many connections open to the gateway', () => {
  atTheDefaultOf('api-gateway', 'TRUST_PROXY');

  let pet: PetBody;
  const held: Socket[] = [];
  beforeAll(async () => {
    pet = await createPet('held-open');
  });
  afterAll(() => held.forEach((socket) => socket.destroy()));

  it(`holds ${DEFAULT_CAP} at most: the next is answered 429 naming the limit and closed; other clients are served; a held one that finishes its request is served`, async () => {
    for (let n = 0; n < DEFAULT_CAP; n++) {
      const socket = await openConnection();
      socket.write(requestLineFor(pet));
      held.push(socket);
    }

    const refused = await readOnNewConnection(pet);

    expect(refused).toMatch(/^HTTP\/1\.1 429 Too Many Requests\r\n/);
    expect(refused).toMatch(/\r\nretry-after: 1\r\n/);
    expect(bodyOf(refused)).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `too many connections from this client: at most ${DEFAULT_CAP} open at once`,
    });
    expect(valueOf(await scrape('api-gateway'), MetricName.httpConnectionsRefused)).toBeGreaterThanOrEqual(1);
    const otherClient = await api<PetBody>('GET', `/api/v3/pet/${pet.id}`);
    expect(otherClient.status).toBe(200);
    expect(otherClient.body.id).toBe(pet.id);

    const finished = held.pop() as Socket;
    const served = answerOn(finished);
    finished.write(LAST_HEADERS);
    expect(await served).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(bodyOf(await served)).toMatchObject({ id: pet.id });

    const servedAgain = await eventually(
      async () => {
        const answer = await readOnNewConnection(pet);
        return answer.startsWith('HTTP/1.1 200 ') ? answer : undefined;
      },
      5000,
      'a new connection served once one of the held ones closed',
    );
    expect(bodyOf(servedAgain)).toMatchObject({ id: pet.id });
  });
});
