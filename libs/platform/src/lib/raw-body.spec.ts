import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { discardBody, readRawBody } from './raw-body';

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

  it('answers 413 for a body over the limit, once it has been read to the end', async () => {
    const body = request([Buffer.alloc(6), Buffer.alloc(6)]);
    await expect(readRawBody(body, 10)).rejects.toMatchObject({ status: 413 });
    expect(body.readableEnded).toBe(true);
  });

  it('answers 413 at once for a declared length over the limit', async () => {
    await expect(readRawBody(request([Buffer.alloc(4)], { 'content-length': '11' }), 10)).rejects.toMatchObject({ status: 413 });
  });
});

describe('discardBody', () => {
  it('reads a body to its end and keeps none of it', async () => {
    const body = request([Buffer.alloc(6), Buffer.alloc(6)]);
    await discardBody(body);
    expect(body.readableEnded).toBe(true);
  });
});
