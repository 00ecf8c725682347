import { corsConfig, corsOptions } from './cors';

describe('CORS', () => {
  it('allows no origin by default', () => {
    expect(corsOptions('')).toBeUndefined();
  });

  it('allows the origins listed, or any for *, never with credentials', () => {
    expect(corsOptions('https://shop.example, http://localhost:5173')).toMatchObject({
      origin: ['https://shop.example', 'http://localhost:5173'],
      credentials: false,
    });
    expect(corsOptions('*')).toMatchObject({ origin: '*', credentials: false });
  });

  it.each(['https://shop.example/path', 'shop.example', 'https://shop.example,', 'javascript:alert(1)'])(
    'refuses CORS_ORIGINS=%s at start, naming the variable',
    (value) => {
      process.env['CORS_ORIGINS'] = value;
      try {
        expect(() => corsConfig.read()).toThrow(/CORS_ORIGINS/);
      } finally {
        delete process.env['CORS_ORIGINS'];
      }
    },
  );
});
