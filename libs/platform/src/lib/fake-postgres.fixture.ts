import { AddressInfo, createServer, Server, Socket } from 'node:net';

/** A Postgres protocol message: its type, its length, its body. */
export function postgresMessage(type: string, body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type), length, body]);
}

export const READY_FOR_QUERY = postgresMessage('Z', Buffer.from('I'));

export interface FakePostgres {
  port: number;
  /** Every connection the server accepted, in order. */
  connections: Socket[];
  close(): Promise<void>;
}

/**
 * A server for specs of a Postgres client. With `startUp`, it completes node-postgres' start-up
 * (authentication ok, ready for a query) and then answers each statement sent without
 * parameters with `answer`, or never; without, it never answers at all, as a host behind a
 * firewall that drops packets.
 */
export async function fakePostgres({ startUp = true, answer }: { startUp?: boolean; answer?: Buffer } = {}): Promise<FakePostgres> {
  const authenticationOk = postgresMessage('R', Buffer.from([0, 0, 0, 0]));
  const connections: Socket[] = [];
  const server: Server = createServer((socket) => {
    connections.push(socket);
    if (!startUp) return;
    socket.once('data', () => {
      socket.write(Buffer.concat([authenticationOk, READY_FOR_QUERY]));
      // A statement comes as a Query message ('Q'); the client's goodbye ('X') gets no answer.
      if (answer) socket.on('data', (bytes: Buffer) => bytes[0] === 0x51 && socket.write(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections,
    close: async () => {
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
