// The gateway owns no database: what it imports from platform must not load a database client
// (TypeORM alone holds about 6 MB of heap). Those modules fail the test if anything requires them.
const DATABASE_MODULES = ['typeorm', '@nestjs/typeorm', 'pg'];

function loadWithDatabaseModulesForbidden(entryPoint: string): void {
  jest.isolateModules(() => {
    for (const name of DATABASE_MODULES) {
      jest.doMock(name, () => {
        throw new Error(`${entryPoint} loaded ${name}`);
      });
    }
    require(entryPoint);
  });
}

describe('platform entry points', () => {
  afterEach(() => DATABASE_MODULES.forEach((name) => jest.dontMock(name)));

  it('loads no database client from the main entry point', () => {
    expect(() => loadWithDatabaseModulesForbidden('./index')).not.toThrow();
  });

  it('keeps the database in its own entry point', () => {
    expect(() => loadWithDatabaseModulesForbidden('./database')).toThrow(/loaded (typeorm|@nestjs\/typeorm|pg)/);
  });
});
