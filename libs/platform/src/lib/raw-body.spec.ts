import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { readRawBody } from './raw-body';

function request(chunks: Buffer[], headers: Record<string, string> = {}): IncomingMessage {
  const message = new IncomingMessage(new Socket());
  message.headers = headers;
  setImmediate(() => {
    for (const chunk of chunks) message.push(chunk);
    message.push(null);
  });
  return message;
}

describe('readRawBody', () => {
  it('reads the whole body', async () => {
    expect(await readRawBody(request([Buffer.from('ab'), Buffer.from('cd')]), 10)).toEqual(Buffer.from('abcd'));
  });

  it('answers 413 as soon as a streamed body passes the limit, leaving the rest unread', async () => {
    const body = request([Buffer.alloc(6), Buffer.alloc(6), Buffer.alloc(6)]);
    await expect(readRawBody(body, 10)).rejects.toMatchObject({ status: 413 });
    expect(body.readableEnded).toBe(false);
    expect(body.isPaused()).toBe(true);
  });

  it('answers 413 at once for a declared length over the limit', async () => {
    await expect(readRawBody(request([Buffer.alloc(4)], { 'content-length': '11' }), 10)).rejects.toMatchObject({ status: 413 });
  });
});
