import { CallHandler, HttpException, PayloadTooLargeException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { lastValueFrom, of, throwError } from 'rxjs';
import { MULTIPART_FRAMING_BYTES, MultipartUploadLimit } from './upload-limit.interceptor';

const LIMIT = 1000;

/** A multipart request that declares `declared` bytes and sends `sent`; `read` counts the bytes anything consumed. */
function multipart(declared: number, sent: number) {
  const request = new IncomingMessage(new Socket()) as IncomingMessage & { is(type: string): boolean };
  request.headers = { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(declared) };
  request.is = (type) => type === 'multipart/form-data';
  setImmediate(() => {
    request.push(Buffer.alloc(sent));
    request.push(null);
  });
  return request;
}

function intercept(request: IncomingMessage, handler: CallHandler) {
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
    expect(request.readableEnded).toBe(true);
  });

  it('lets a form within the limit through to the parser', async () => {
    const handled = await intercept(multipart(LIMIT, LIMIT), { handle: () => of('parsed') });
    await expect(lastValueFrom(handled)).resolves.toBe('parsed');
  });

  it("names the limit in the 413 the parser gives when a file part streams past it", async () => {
    const handled = await intercept(multipart(LIMIT, LIMIT), { handle: () => throwError(() => new PayloadTooLargeException('File too large')) });
    await expect(lastValueFrom(handled)).rejects.toMatchObject({ message: `the upload is larger than the limit of ${LIMIT} bytes` });
  });
});
