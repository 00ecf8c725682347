import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { isSafePhotoUrl, listParameter, parseStatusList, parseTagList, Pet } from './pets';
import { parsePhotoPath, photoPathOf } from './photos';

function failingFields(body: object): string[] {
  const describe = (errors: ReturnType<typeof validateSync>, path = ''): string[] =>
    errors.flatMap((error) => {
      const at = path ? `${path}.${error.property}` : error.property;
      return error.children?.length ? describe(error.children, at) : [at];
    });
  return describe(validateSync(plainToInstance(Pet, body)));
}

describe('pet DTOs', () => {
  it('reads repeated and comma-separated query values, each once', () => {
    expect(listParameter(['available,sold', 'available', ' pending ,'])).toEqual(['available', 'sold', 'pending']);
    expect(listParameter(undefined)).toEqual([]);
  });

  it('checks every status, defaulting to available', () => {
    expect(parseStatusList(undefined)).toEqual({ statuses: ['available'] });
    expect(parseStatusList('sold,pending')).toEqual({ statuses: ['sold', 'pending'] });
    expect(parseStatusList(['available', 'lost'])).toEqual({ invalid: 'lost' });
  });

  it('checks every tag length', () => {
    expect(parseTagList('a,b')).toEqual({ tags: ['a', 'b'] });
    expect(parseTagList('t'.repeat(101))).toEqual({ invalid: 't'.repeat(101) });
  });

  it('accepts the Petstore example pet (ids of 0 meaning none) and names every failing field of a bad one', () => {
    expect(
      failingFields({
        id: 10,
        name: 'doggie',
        category: { id: 1, name: 'Dogs' },
        photoUrls: ['string'],
        tags: [{ id: 0, name: 'string' }],
        status: 'available',
      }),
    ).toEqual([]);
    expect(failingFields({ name: 'doggie', photoUrls: [], tags: [{ id: 0 }, { id: -1, name: 'x' }] })).toEqual(['tags.0.name', 'tags.1.id']);
    expect(failingFields({ id: Number.MAX_SAFE_INTEGER + 2, name: ' ', photoUrls: [''], category: {}, status: 'lost' })).toEqual([
      'id',
      'name',
      'category.name',
      'photoUrls',
      'status',
    ]);
  });

  it('lets a category or tag be named by id alone', () => {
    expect(failingFields({ name: 'doggie', photoUrls: [], category: { id: 1 }, tags: [{ id: 2 }, { name: 'x' }] })).toEqual([]);
  });

  it('builds and recognises uploaded photo URLs', () => {
    expect(photoPathOf(5, 17)).toBe('/api/v3/pet/5/photos/17');
    expect(parsePhotoPath('/api/v3/pet/5/photos/17')).toEqual({ petId: 5, photoId: 17 });
    expect(parsePhotoPath('https://example.com/api/v3/pet/5/photos/17')).toBeUndefined();
  });

  it.each(['https://images.example.com/rex.jpg', 'HTTP://x/y', '/api/v3/pet/1/photos/2', '//cdn.example.com/rex.jpg', 'string', 'a/b:c'])(
    'takes the photo URL %p',
    (url) => expect(isSafePhotoUrl(url)).toBe(true),
  );

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'data:text/html,<script>',
    'file:///etc/passwd',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    'https://x/a b',
  ])('refuses the photo URL %p, naming the field', (url) => {
    expect(isSafePhotoUrl(url)).toBe(false);
    expect(failingFields({ name: 'rex', photoUrls: ['https://x/ok.jpg', url] })).toEqual(['photoUrls']);
  });
});
