import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, eventually } from '../support/api';
import { databaseUrlOf } from '../support/databases';
import { stack } from '../support/stack';
import { storeOwnerToken } from '../support/users';
import { addPet, getPet } from '../pets/support/pets';
import { databaseAway, databaseBack } from './support/faults';

function petDatabaseName(): string {
  return new URL(databaseUrlOf('pet-service')).pathname.slice(1);
}

async function petServiceHealth(): Promise<{ status: number; database?: string; reason?: string }> {
  const response = await fetch(`${stack.urlOf('pet-service')}/health`);
  const body = (await response.json()) as { details?: { database?: { status: string; message?: string } } };
  const database = body.details?.database;
  return { status: response.status, database: database?.status, ...(database?.message ? { reason: database.message } : {}) };
}

/** What pet-service logged since `from` (a length of its log), as each line's message. */
function petServiceLogSince(from: number): string[] {
  return readFileSync(join(stack.logDir, 'pet-service.log'), 'utf8')
    .slice(from)
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { msg?: string }).msg ?? '');
}

describe('pet-service while its database is away', () => {
  afterAll(() => databaseBack('pet-service'));

  it('answers 503 naming the database, never 500, says so in /health and its log, and serves again by itself when it returns', async () => {
    const owner = await storeOwnerToken();
    const pet = await addPet(owner);
    const logBefore = readFileSync(join(stack.logDir, 'pet-service.log'), 'utf8').length;

    await databaseAway('pet-service');
    const reads = await Promise.all(Array.from({ length: 10 }, () => getPet(pet.id)));
    const write = await api('PUT', '/api/v3/pet', { token: owner, json: { ...pet, name: 'renamed while away' } });

    for (const response of [...reads, write]) {
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ message: "pet-service's database is unavailable; try again later" });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const refused = { status: 503, database: 'down', reason: `database "${petDatabaseName()}" is not currently accepting connections` };
    expect(await petServiceHealth()).toEqual(refused);
    expect(await petServiceHealth()).toEqual(refused);
    expect(petServiceLogSince(logBefore).filter((message) => message.startsWith('unhealthy: database'))).toHaveLength(1);

    await databaseBack('pet-service');
    await eventually(async () => ((await getPet(pet.id)).status === 200 ? true : undefined), 30000, 'pet-service serving again');
    expect((await getPet(pet.id)).body).toMatchObject({ id: pet.id, name: pet.name });
    // Healthy again too, once every probe agrees (a consumer an earlier fault left rejoining included).
    await eventually(async () => ((await petServiceHealth()).status === 200 ? true : undefined), 30000, 'pet-service healthy again');
    expect(await petServiceHealth()).toEqual({ status: 200, database: 'up' });
    expect(petServiceLogSince(logBefore)).toContain('healthy again');
  });
});
