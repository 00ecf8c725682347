import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { answerCorrelated, runWithCorrelationId } from './correlation';
import { serviceLogger } from './logging';

describe('serviceLogger', () => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      );
      done();
    },
  });
  const logger = serviceLogger('pet-service', { level: 'info', format: 'json' }, destination);

  beforeEach(() => lines.splice(0));

  it('writes one JSON object per line with the service, the level by name, the request and its correlation id', async () => {
    const app = Fastify();
    answerCorrelated(app);
    // After the body is read, which happens outside the request's own context.
    app.post('/api/v3/user/login', async () => {
      logger.log('answering', 'UsersController');
      return {};
    });
    const answer = await app.inject({
      method: 'POST',
      url: '/api/v3/user/login?username=a&password=secret',
      headers: { 'x-correlation-id': 'corr-1' },
      payload: { note: 'a body to read' },
    });
    await app.close();

    expect(answer.headers['x-correlation-id']).toBe('corr-1');
    expect(lines).toEqual([
      expect.objectContaining({
        service: 'pet-service',
        level: 'info',
        correlationId: 'corr-1',
        request: 'POST /api/v3/user/login',
        context: 'UsersController',
        msg: 'answering',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it("carries an event handler's correlation id, and an error's stack", () => {
    runWithCorrelationId('event-correlation', () => logger.error('could not apply PET_RESERVED', new Error('boom').stack, 'EventConsumer'));

    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', correlationId: 'event-correlation', context: 'EventConsumer', msg: 'could not apply PET_RESERVED' }),
    ]);
    expect(JSON.stringify(lines[0])).toContain('Error: boom');
  });

  it('leaves out levels below the configured one', () => {
    logger.debug?.('chatter', 'Anything');
    expect(lines).toEqual([]);
  });
});
