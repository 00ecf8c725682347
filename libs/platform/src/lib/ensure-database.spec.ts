import { ensureDatabaseExists } from './ensure-database';
import { fakePostgres } from './fake-postgres.fixture';

describe('ensureDatabaseExists', () => {
  it('gives up on a server that never answers, naming it without its password', async () => {
    const silent = await fakePostgres({ startUp: false });
    try {
      await expect(ensureDatabaseExists(`postgres://postgres:secret@127.0.0.1:${silent.port}`, 'pet_db', 200)).rejects.toThrow(
        `the database server at postgres://postgres:***@127.0.0.1:${silent.port} could not be reached: no answer within 200 ms`,
      );
    } finally {
      await silent.close();
    }
  });

  it('names the server that refused the connection', async () => {
    const gone = await fakePostgres({ startUp: false });
    const { port } = gone;
    await gone.close();
    await expect(ensureDatabaseExists(`postgres://postgres@127.0.0.1:${port}`, 'pet_db')).rejects.toThrow(
      `the database server at postgres://postgres@127.0.0.1:${port} could not be reached: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});
