import { sniffImageType } from './image-type';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

describe('sniffImageType', () => {
  it('names the type the bytes are', async () => {
    expect(await sniffImageType(PNG)).toBe('image/png');
    expect(await sniffImageType(GIF)).toBe('image/gif');
  });

  it('refuses non-images with 415 naming what it found and what is accepted', async () => {
    await expect(sniffImageType(Buffer.from('%PDF-1.4\n1 0 obj\n'))).rejects.toMatchObject({
      status: 415,
      response: expect.objectContaining({
        message: 'the upload is application/pdf content; accepted image types are image/jpeg, image/png, image/gif, image/webp',
      }),
    });
    await expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).rejects.toMatchObject({ status: 415 });
    await expect(sniffImageType(Buffer.from('plain text'))).rejects.toMatchObject({ status: 415 });
  });

  it('refuses with 415 an upload that starts as an image but ends before its header does, naming that', async () => {
    for (const truncated of [PNG.subarray(0, 12), Buffer.from('\x89PNG\r\n\x1a\n0000', 'binary')]) {
      await expect(sniffImageType(truncated)).rejects.toMatchObject({
        status: 415,
        response: expect.objectContaining({
          message:
            'the upload is truncated or malformed: it ends before its header does; accepted image types are image/jpeg, image/png, image/gif, image/webp',
        }),
      });
    }
  });

  it('answers 400 for an empty upload', async () => {
    await expect(sniffImageType(Buffer.alloc(0))).rejects.toMatchObject({ status: 400 });
  });
});
