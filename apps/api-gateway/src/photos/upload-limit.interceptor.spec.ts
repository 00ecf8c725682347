import { CallHandler, HttpException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { lastValueFrom, of } from 'rxjs';
import { MULTIPART_FRAMING_BYTES, MultipartUploadLimit } from './upload-limit.interceptor';

const LIMIT = 1000;

/** A multipart request (as Fastify wraps it) that declares `declared` bytes. */
function multipart(declared: number) {
  const headers = { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(declared) };
  return { headers, isMultipart: () => true };
}

function intercept(request: ReturnType<typeof multipart>, handler: CallHandler) {
  return new MultipartUploadLimit({ maxBytes: LIMIT }).intercept(new ExecutionContextHost([request, {}]), handler);
}

function refusalOf(intercepting: () => unknown): unknown {
  try {
    intercepting();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('MultipartUploadLimit', () => {
  it('refuses a form declared larger than the limit with 413 naming it, without parsing it', () => {
    const parser = { handle: jest.fn(() => of('parsed')) };

    const refusal = refusalOf(() => intercept(multipart(LIMIT + MULTIPART_FRAMING_BYTES + 1), parser));

    expect(refusal).toBeInstanceOf(HttpException);
    expect((refusal as HttpException).getStatus()).toBe(413);
    expect((refusal as HttpException).message).toBe(`the upload is larger than the limit of ${LIMIT} bytes`);
    expect(parser.handle).not.toHaveBeenCalled();
  });

  it('lets a form within the limit through to the parser', async () => {
    const handled = intercept(multipart(LIMIT + MULTIPART_FRAMING_BYTES), { handle: () => of('parsed') });
    await expect(lastValueFrom(handled)).resolves.toBe('parsed');
  });
});
