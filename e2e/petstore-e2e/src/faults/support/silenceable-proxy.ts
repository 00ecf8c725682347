import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

interface ProxiedConnection {
  client: Socket;
  server?: Socket;
  silent: boolean;
  closedByClient: boolean;
}

/**
 * A TCP proxy to a database server that can go silent as a network can: it stops passing bytes
 * either way on the connections it holds, closing neither end, so neither hears of it (a
 * firewall or NAT that forgot the connection, a server that failed over to another address).
 * Only the client closing a silent connection is seen.
 */
export class SilenceableProxy {
  private readonly connections = new Set<ProxiedConnection>();
  private newConnectionsSilent = false;

  private constructor(
    private readonly listener: Server,
    private readonly target: { host: string; port: number },
  ) {
    listener.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<SilenceableProxy> {
    const listener = createServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    return new SilenceableProxy(listener, target);
  }

  get port(): number {
    return (this.listener.address() as AddressInfo).port;
  }

  /** Silences every connection open now, and every one opened until `passNewConnections`; answers how many were open. */
  silenceAll(): number {
    this.newConnectionsSilent = true;
    let open = 0;
    for (const connection of this.connections) {
      if (connection.closedByClient) continue;
      open += 1;
      this.silence(connection);
    }
    return open;
  }

  /** New connections reach the server again; those silenced stay silent. */
  passNewConnections(): void {
    this.newConnectionsSilent = false;
  }

  /** Silenced connections the client has not closed. */
  get silentConnectionsOpen(): number {
    return [...this.connections].filter((connection) => connection.silent && !connection.closedByClient).length;
  }

  async close(): Promise<void> {
    for (const { client, server } of this.connections) {
      client.destroy();
      server?.destroy();
    }
    await new Promise((resolve) => this.listener.close(resolve));
  }

  private accept(client: Socket): void {
    const connection: ProxiedConnection = { client, silent: false, closedByClient: false };
    this.connections.add(connection);
    client.on('error', () => undefined);
    client.on('close', () => {
      connection.closedByClient = true;
      if (!connection.silent) connection.server?.destroy();
    });
    if (this.newConnectionsSilent) {
      this.silence(connection);
      return;
    }
    const server = connect(this.target.port, this.target.host);
    connection.server = server;
    server.on('error', () => undefined);
    server.on('close', () => {
      if (!connection.silent) client.destroy();
    });
    client.pipe(server);
    server.pipe(client);
  }

  /** Bytes from either end are read and dropped from now on. */
  private silence(connection: ProxiedConnection): void {
    connection.silent = true;
    const { client, server } = connection;
    client.unpipe();
    server?.unpipe();
    for (const end of [client, server]) end?.on('data', () => undefined).resume();
  }
}
