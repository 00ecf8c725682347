// The end-to-end suite takes the kafkajs fix from its own entry point: it must not load the
// Nest and TypeORM side of the main one. Those modules fail the test if anything requires them.
const APP_SIDE_MODULES = ['@nestjs/core', '@nestjs/microservices', 'typeorm'];

function loadWithAppSideForbidden(entryPoint: string): void {
  jest.isolateModules(() => {
    for (const name of APP_SIDE_MODULES) {
      jest.doMock(name, () => {
        throw new Error(`${entryPoint} loaded ${name}`);
      });
    }
    require(entryPoint);
  });
}

describe('messaging entry points', () => {
  afterEach(() => APP_SIDE_MODULES.forEach((name) => jest.dontMock(name)));

  it('loads neither Nest nor TypeORM from the kafkajs entry point', () => {
    expect(() => loadWithAppSideForbidden('./kafkajs')).not.toThrow();
  });

  it('loads them from the main entry point', () => {
    expect(() => loadWithAppSideForbidden('./index')).toThrow(/loaded (@nestjs\/core|@nestjs\/microservices|typeorm)/);
  });
});
