import { ArgumentsHost, ConflictException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { HttpErrorFilter, ServiceErrorException } from './errors';
import { DatabaseSilentError } from './postgres';

function hostCapturing() {
  const sent: { status?: number; body?: unknown; headers?: Record<string, string> } = {};
  const reply = {
    sent: false,
    header(name: string, value: string) {
      sent.headers = { ...sent.headers, [name]: value };
      return this;
    },
    status(code: number) {
      sent.status = code;
      return this;
    },
    send(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ method: 'GET', url: '/x?page=2' }) }),
  } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('HttpErrorFilter', () => {
  const filter = new HttpErrorFilter('pet-service');

  it('answers an HTTP exception with its status and message', () => {
    const { host, sent } = hostCapturing();
    filter.catch(new NotFoundException('pet 3 not found'), host);
    expect(sent).toEqual({ status: 404, body: { statusCode: 404, error: 'Not Found', message: 'pet 3 not found' } });
  });

  it("passes another service's error through with its Retry-After", () => {
    const { host, sent } = hostCapturing();
    filter.catch(new ServiceErrorException('user-service', 429, 'too many login attempts', '60'), host);
    expect(sent).toEqual({
      status: 429,
      headers: { 'retry-after': '60' },
      body: { statusCode: 429, error: 'Too Many Requests', message: 'too many login attempts' },
    });
  });

  it('turns a unique violation into 409', () => {
    const { host, sent } = hostCapturing();
    const violation = new QueryFailedError(
      'INSERT',
      [],
      Object.assign(new Error('duplicate key value violates unique constraint "user_username_key"'), { code: '23505' }),
    );
    filter.catch(violation, host);
    expect(sent.status).toBe(409);
  });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [
      'a server shutting down',
      new QueryFailedError('SELECT', [], Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })),
    ],
    ['a database refusing connections', Object.assign(new Error('database "pet_db" is not currently accepting connections'), { code: '55000' })],
    ['a connection lost mid-query', new QueryFailedError('SELECT', [], new Error('Connection terminated unexpectedly'))],
    ['no connection within the pool timeout', new Error('timeout exceeded when trying to connect')],
    ['a connection closed for leaving a statement unanswered', new QueryFailedError('BEGIN', [], new DatabaseSilentError(35000))],
    [
      'a server out of disk space',
      new QueryFailedError('INSERT', [], Object.assign(new Error('could not extend file: No space left on device'), { code: '53100' })),
    ],
  ])('answers %s with 503 naming the database, and when to retry', (_, error) => {
    const { host, sent } = hostCapturing();
    filter.catch(error, host);
    expect(sent).toEqual({
      status: 503,
      headers: { 'retry-after': '1' },
      body: { statusCode: 503, error: 'Service Unavailable', message: "pet-service's database is unavailable; try again later" },
    });
  });

  it('answers a change the database refused as read-only (a standby after a failover) with 503 saying so', () => {
    const { host, sent } = hostCapturing();
    filter.catch(
      new QueryFailedError('UPDATE', [], Object.assign(new Error('cannot execute UPDATE in a read-only transaction'), { code: '25006' })),
      host,
    );
    expect(sent).toEqual({
      status: 503,
      headers: { 'retry-after': '1' },
      body: { statusCode: 503, error: 'Service Unavailable', message: "pet-service's database is read-only; try again later" },
    });
  });

  it('never shows the details of an unexpected error', () => {
    const { host, sent } = hostCapturing();
    filter.catch(new TypeError("Cannot read properties of undefined (reading 'id')"), host);
    expect(sent).toEqual({ status: 500, body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' } });
  });

  it('keeps validation messages as a list', () => {
    const { host, sent } = hostCapturing();
    filter.catch(new ConflictException(['name must be a string', 'status must be one of']), host);
    expect(sent.body).toMatchObject({ statusCode: 409, message: ['name must be a string', 'status must be one of'] });
  });
});
