import { request } from 'node:http';
import { GATEWAY_URL } from '../support/environment';
import { storeOwnerToken } from '../support/users';

const CHUNK = Buffer.alloc(64 * 1024, '7');
/** Far more than the gateway reads of a body it refused; on loopback it is sent in about a second if nothing stops it. */
const MOST_A_CLIENT_SENDS = 256 * 1024 * 1024;
/** What the refused body's allowance, the sockets' buffers on both sides and the time to notice may add up to. */
const MOST_THE_GATEWAY_TAKES = 64 * 1024 * 1024;

interface Outcome {
  status?: number;
  answer: string;
  sentBytes: number;
  connectionClosed: boolean;
}

/**
 * A caller that announces a huge body (or none, sending it chunked) and sends it as fast as the
 * gateway takes it, whatever the answer, stopping only when the connection closes (the gateway
 * closed it, or half-closed it and Node's client then did) or MOST_A_CLIENT_SENDS has gone.
 */
function sendHugeBody(method: string, path: string, headers: Record<string, string>, preamble = ''): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome: Outcome = { answer: '', sentBytes: 0, connectionClosed: false };
    const call = request(`${GATEWAY_URL}${path}`, { method, headers, agent: false });
    call.write(preamble);
    call.on('response', (response) => {
      outcome.status = response.statusCode;
      response.on('data', (chunk: Buffer) => (outcome.answer += chunk.toString()));
      response.on('error', () => undefined);
    });
    const send = () => {
      while (!outcome.connectionClosed && outcome.sentBytes < MOST_A_CLIENT_SENDS) {
        outcome.sentBytes += CHUNK.length;
        if (!call.write(CHUNK)) return void call.once('drain', send);
      }
      if (!outcome.connectionClosed) {
        call.destroy();
        resolve(outcome);
      }
    };
    call.on('error', () => undefined);
    call.on('close', () => {
      if (outcome.sentBytes >= MOST_A_CLIENT_SENDS) return;
      outcome.connectionClosed = true;
      resolve(outcome);
    });
    send();
  });
}

describe('a body the gateway does not read', () => {
  it('an anonymous upload is answered 401 and its connection closed long before the gigabyte it announces', async () => {
    const outcome = await sendHugeBody('POST', '/api/v3/pet/1/uploadImage', {
      'content-type': 'application/octet-stream',
      'content-length': String(1024 ** 3),
    });

    expect(outcome.status).toBe(401);
    expect(outcome.connectionClosed).toBe(true);
    expect(outcome.sentBytes).toBeLessThan(MOST_THE_GATEWAY_TAKES);
  });

  it('a store owner’s pet announced larger than the limit is answered 413 naming it, and its connection closed', async () => {
    const outcome = await sendHugeBody('POST', '/api/v3/pet', {
      authorization: `Bearer ${await storeOwnerToken()}`,
      'content-type': 'application/json',
      'content-length': String(1024 ** 3),
    });

    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.answer)).toMatchObject({ message: 'request body is larger than the limit of 1048576 bytes' });
    expect(outcome.connectionClosed).toBe(true);
    expect(outcome.sentBytes).toBeLessThan(MOST_THE_GATEWAY_TAKES);
  });

  it('a chunked pet with no announced length is answered 413 once it passes the limit, and its connection closed', async () => {
    const outcome = await sendHugeBody('PUT', '/api/v3/pet', {
      authorization: `Bearer ${await storeOwnerToken()}`,
      'content-type': 'application/json',
    });

    expect(outcome.status).toBe(413);
    expect(outcome.connectionClosed).toBe(true);
    expect(outcome.sentBytes).toBeLessThan(MOST_THE_GATEWAY_TAKES);
  });

  it('a chunked multipart photo with no announced length is answered 413 once the file passes the limit, and its connection closed', async () => {
    const boundary = 'unread-bodies';
    const outcome = await sendHugeBody(
      'POST',
      '/api/v3/pet/1/uploadImage',
      { authorization: `Bearer ${await storeOwnerToken()}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="huge.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`,
    );

    expect(outcome.status).toBe(413);
    expect(outcome.connectionClosed).toBe(true);
    expect(outcome.sentBytes).toBeLessThan(MOST_THE_GATEWAY_TAKES);
  });

  it('a read with a body nobody asked for is answered, and its connection closed', async () => {
    const outcome = await sendHugeBody('GET', '/api/v3/pet/findByStatus?status=sold&limit=1', {
      'content-type': 'application/octet-stream',
      'content-length': String(1024 ** 3),
    });

    expect(outcome.status).toBe(200);
    expect(outcome.connectionClosed).toBe(true);
    expect(outcome.sentBytes).toBeLessThan(MOST_THE_GATEWAY_TAKES);
  });
});
