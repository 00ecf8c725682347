import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { ensureDatabaseExists } from './ensure-database';

/** A server that accepts connections and never answers, as a host behind a firewall that drops packets. */
async function listeningSilently(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('ensureDatabaseExists', () => {
  it('gives up on a server that never answers, naming it without its password', async () => {
    const silent = await listeningSilently();
    try {
      await expect(ensureDatabaseExists(`postgres://postgres:secret@127.0.0.1:${silent.port}`, 'pet_db', 200)).rejects.toThrow(
        `the database server at postgres://postgres:***@127.0.0.1:${silent.port} could not be reached: no answer within 200 ms`,
      );
    } finally {
      await silent.close();
    }
  });

  it('names the server that refused the connection', async () => {
    const silent = await listeningSilently();
    const { port } = silent;
    await silent.close();
    await expect(ensureDatabaseExists(`postgres://postgres@127.0.0.1:${port}`, 'pet_db')).rejects.toThrow(
      `the database server at postgres://postgres@127.0.0.1:${port} could not be reached: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});
