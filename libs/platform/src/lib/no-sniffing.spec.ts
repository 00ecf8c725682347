import Fastify from 'fastify';
import { answerWithoutSniffing } from './no-sniffing';

describe('answerWithoutSniffing', () => {
  const app = Fastify();
  answerWithoutSniffing(app);
  app.get('/pets/:name', async (request) => request.params);
  app.get('/failing', async () => {
    throw new Error('broken');
  });

  beforeAll(() => app.ready());
  afterAll(() => app.close());

  it.each([
    ['an answer', '/pets/rex', 200],
    ['an error', '/failing', 500],
    ['a path no route serves', '/nowhere', 404],
  ])('tells browsers not to sniff %s', async (_what, url, status) => {
    const answer = await app.inject({ method: 'GET', url });
    expect({ status: answer.statusCode, sniffing: answer.headers['x-content-type-options'] }).toEqual({ status, sniffing: 'nosniff' });
  });
});
