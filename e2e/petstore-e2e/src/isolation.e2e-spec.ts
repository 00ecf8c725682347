import { Client } from 'pg';
import { defaultDatabaseOf, SERVICE_NAMES } from '@petstore/platform';
import { databaseUrlOf } from './support/databases';
import { appEnvironment, GATEWAY_URL, KAFKA_BROKERS } from './support/environment';
import { stack } from './support/stack';
import { storeOwnerToken } from './support/users';
import { addPet } from './pets/support/pets';

const devStack = (
  require('../../../tools/stack/stack.js') as { createStack(name: 'dev'): { urlOf(app: string): string; environment(): NodeJS.ProcessEnv } }
).createStack('dev');

async function petNamesIn(connectionString: string): Promise<string[] | 'no such database'> {
  const client = new Client({ connectionString });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: string }).code === '3D000') return 'no such database';
    throw error;
  }
  try {
    return (await client.query<{ name: string }>('SELECT name FROM pet')).rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describe("the suite's own stack, apart from `npm start`'s", () => {
  it('listens on its own ports and uses its own broker', () => {
    for (const service of SERVICE_NAMES) expect(stack.urlOf(service)).not.toBe(devStack.urlOf(service));
    expect(GATEWAY_URL).toBe(stack.urlOf('api-gateway'));
    if (!process.env['KAFKA_BROKERS']) expect(KAFKA_BROKERS).not.toBe(devStack.environment()['KAFKA_BROKERS']);
  });

  it("writes what a client changes to the suite's own databases, never to npm start's", async () => {
    const pet = await addPet(await storeOwnerToken());
    const suiteDatabase = databaseUrlOf('pet-service');
    const devDatabase = new URL(suiteDatabase);
    devDatabase.pathname = `/${devStack.environment()['PET_SERVICE_DATABASE'] ?? defaultDatabaseOf('pet-service')}`;

    expect(appEnvironment()['PET_SERVICE_DATABASE']).toMatch(/_test$/);
    expect(await petNamesIn(suiteDatabase)).toContain(pet.name);
    const devNames = await petNamesIn(devDatabase.toString());
    if (devNames !== 'no such database') expect(devNames).not.toContain(pet.name);
  });
});
