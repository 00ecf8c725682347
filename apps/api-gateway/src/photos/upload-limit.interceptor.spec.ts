import { CallHandler, HttpException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { lastValueFrom, of } from 'rxjs';
import { MULTIPART_FRAMING_BYTES, MultipartUploadLimit } from './upload-limit.interceptor';

const LIMIT = 1000;

/** A multipart request (as Fastify wraps it) that declares `declared` bytes and sends `sent`. */
function multipart(declared: number, sent: number) {
  const raw = new IncomingMessage(new Socket());
  const headers = { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(declared) };
  raw.headers = headers;
  setImmediate(() => {
    raw.push(Buffer.alloc(sent));
    raw.push(null);
  });
  return { raw, headers, isMultipart: () => true };
}

function intercept(request: ReturnType<typeof multipart>, handler: CallHandler) {
  return new MultipartUploadLimit({ maxBytes: LIMIT }).intercept(new ExecutionContextHost([request, {}]), handler);
}

describe('MultipartUploadLimit', () => {
  it('refuses a form declared larger than the limit with 413 naming it, without parsing it', async () => {
    const parser = { handle: jest.fn(() => of('parsed')) };
    const request = multipart(LIMIT + MULTIPART_FRAMING_BYTES + 1, 20_000);

    const refusal = await intercept(request, parser).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(HttpException);
    expect((refusal as HttpException).getStatus()).toBe(413);
    expect((refusal as HttpException).message).toBe(`the upload is larger than the limit of ${LIMIT} bytes`);
    expect(parser.handle).not.toHaveBeenCalled();
    expect(request.raw.readableEnded).toBe(true);
  });

  it('lets a form within the limit through to the parser', async () => {
    const handled = await intercept(multipart(LIMIT, LIMIT), { handle: () => of('parsed') });
    await expect(lastValueFrom(handled)).resolves.toBe('parsed');
  });
});
