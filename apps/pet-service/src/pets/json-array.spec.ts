import { jsonArrayBytes } from './json-array';

describe('jsonArrayBytes', () => {
  it('answers an empty array for no elements', () => {
    expect(jsonArrayBytes([]).toString()).toBe('[]');
  });

  it('joins the elements, multi-byte characters included, into exactly the JSON array of them', () => {
    const elements = [
      { id: 1, name: 'Rex "the \\ dog" — café ✓ 🐕' },
      { id: 2, tags: [] },
      { id: 3, name: 'ñ' },
    ].map((element) => JSON.stringify(element));
    const bytes = jsonArrayBytes(elements);
    const expected = Buffer.from(`[${elements.join(',')}]`);
    expect(bytes.length).toBe(expected.length);
    expect(bytes.equals(expected)).toBe(true);
  });

  it('answers a single element in brackets', () => {
    expect(jsonArrayBytes(['{"id":7}']).toString()).toBe('[{"id":7}]');
  });
});
