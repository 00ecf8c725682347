import Fastify from 'fastify';
import { answerRouterErrors, MAX_PATH_PARAMETER_LENGTH } from './router-errors';

describe('answerRouterErrors', () => {
  const app = Fastify({ frameworkErrors: answerRouterErrors, routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH } });
  app.get('/users/:username', async (request) => request.params);

  beforeAll(() => app.ready());
  afterAll(() => app.close());

  it('answers a path that is not valid percent-encoding 400 in the one error shape', async () => {
    const answer = await app.inject({ method: 'GET', url: '/users/%E0%A4%A' });
    expect({ status: answer.statusCode, sniffing: answer.headers['x-content-type-options'], body: answer.json() }).toEqual({
      status: 400,
      sniffing: 'nosniff',
      body: { statusCode: 400, error: 'Bad Request', message: "the request's path is not valid percent-encoding" },
    });
  });

  it('answers a path parameter over the limit 414 naming the limit, without echoing the path', async () => {
    const answer = await app.inject({ method: 'GET', url: `/users/${'a'.repeat(MAX_PATH_PARAMETER_LENGTH + 1)}` });
    expect({ status: answer.statusCode, body: answer.json() }).toEqual({
      status: 414,
      body: {
        statusCode: 414,
        error: 'Uri Too Long',
        message: `a segment of the request's path is longer than ${MAX_PATH_PARAMETER_LENGTH} characters`,
      },
    });
  });

  it('lets a parameter at the limit through to its route', async () => {
    const username = 'a'.repeat(MAX_PATH_PARAMETER_LENGTH);
    const answer = await app.inject({ method: 'GET', url: `/users/${username}` });
    expect({ status: answer.statusCode, body: answer.json() }).toEqual({ status: 200, body: { username } });
  });
});
