import { MAX_INPUT_DEPTH, problemIn } from './hostile-input';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level++) value = { child: value };
  return value;
}

describe('problemIn', () => {
  it('names the field holding a NUL character, however deep, in objects and arrays', () => {
    expect(problemIn({ name: 'rex\u0000' }, 'body')).toBe('body.name must not contain NUL characters');
    expect(problemIn({ tags: [{ name: 'ok' }, { name: '\u0000' }] }, 'body')).toBe('body.tags[1].name must not contain NUL characters');
    expect(problemIn({ tags: ['a', 'b\u0000'] }, 'query')).toBe('query.tags[1] must not contain NUL characters');
    expect(problemIn({ 'bad\u0000key': 1 }, 'body')).toBe('body must not contain NUL characters in its field names');
  });

  it('refuses JSON nested deeper than the limit, without overflowing the stack itself', () => {
    expect(problemIn(nested(MAX_INPUT_DEPTH), 'body')).toBeUndefined();
    expect(problemIn(nested(MAX_INPUT_DEPTH + 1), 'body')).toBe(`body is nested deeper than ${MAX_INPUT_DEPTH} levels`);
    expect(problemIn(nested(100_000), 'body')).toBe(`body is nested deeper than ${MAX_INPUT_DEPTH} levels`);
  });

  it('lets ordinary input through, nulls and Unicode included', () => {
    expect(problemIn({ name: 'Rëx 🐕', category: null, tags: [], photoUrls: ['https://x/y.jpg'], n: 3 }, 'body')).toBeUndefined();
    expect(problemIn(undefined, 'body')).toBeUndefined();
  });
});
