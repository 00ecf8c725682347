const net = require('node:net');
const { instanceNamed } = require('./instances');
const { assertAppPortsFree, portInUse } = require('./ports');

/** A server of this test on a port the system chose, closed with `close`. */
async function listeningServer() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('the apps’ ports, checked before the stack starts them', () => {
  it('tells a port some process listens on from a free one', async () => {
    const server = await listeningServer();
    try {
      await expect(portInUse(server.port)).resolves.toBe(true);
    } finally {
      await server.close();
    }
    await expect(portInUse(server.port)).resolves.toBe(false);
  });

  it('refuses, naming the port, its app and the variable that moves it, while another process holds it', async () => {
    const server = await listeningServer();
    const free = await listeningServer();
    await free.close();
    const env = { USER_SERVICE_PORT: String(server.port), PET_SERVICE_PORT: String(free.port) };
    try {
      await expect(assertAppPortsFree(instanceNamed('dev'), ['user-service', 'pet-service'], env)).rejects.toThrow(
        `port ${server.port} (user-service) is in use by another process: stop it (ss -ltnp 'sport = :${server.port}' names it), or give user-service another port with USER_SERVICE_PORT`,
      );
    } finally {
      await server.close();
    }
    await expect(assertAppPortsFree(instanceNamed('dev'), ['user-service', 'pet-service'], env)).resolves.toBeUndefined();
  });
});
