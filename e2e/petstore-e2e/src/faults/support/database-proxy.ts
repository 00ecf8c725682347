import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';

interface ProxiedConnection {
  client: Socket;
  server?: Socket;
  silent: boolean;
  closedByClient: boolean;
}

/**
 * A TCP proxy to a database server, through which a spec makes the server's connections fail as
 * production does, without touching the server itself (it may be the developer's own):
 *
 * - silent, as a network can be: it stops passing bytes either way on the connections it holds,
 *   closing neither end, so neither hears of it (a firewall or NAT that forgot the connection, a
 *   server that failed over to another address). Only the client closing a silent connection is
 *   seen;
 * - crashed, as the server can be: every connection cut at once without a word, new ones refused
 *   until it restarts.
 */
export class DatabaseProxy {
  private readonly connections = new Set<ProxiedConnection>();
  private newConnectionsSilent = false;

  private constructor(
    private readonly listener: Server,
    private readonly target: { host: string; port: number },
    readonly port: number,
  ) {
    listener.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<DatabaseProxy> {
    const listener = createServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    return new DatabaseProxy(listener, target, (listener.address() as AddressInfo).port);
  }

  /** Silences every connection open now, and every one opened until `passNewConnections`; answers how many were open. */
  silenceAll(): number {
    this.newConnectionsSilent = true;
    let open = 0;
    for (const connection of this.liveConnections()) {
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

  /**
   * Crashes the server as its clients see it: every connection reset at once, mid-statement or
   * not, and every new one refused until `restart`. Answers how many connections were cut. The
   * server rolls back what they had not committed, as a crashed server's recovery does.
   */
  async crash(): Promise<number> {
    const stopped = new Promise((resolve) => this.listener.close(resolve));
    const live = this.liveConnections();
    for (const { client, server } of live) {
      client.resetAndDestroy();
      server?.destroy();
    }
    await stopped;
    return live.length;
  }

  /** Accepts connections again on the same port, as the restarted server does. */
  async restart(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.listener.once('error', reject);
      this.listener.listen(this.port, '127.0.0.1', () => {
        this.listener.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const { client, server } of this.connections) {
      client.destroy();
      server?.destroy();
    }
    if (this.listener.listening) await new Promise((resolve) => this.listener.close(resolve));
  }

  private liveConnections(): ProxiedConnection[] {
    return [...this.connections].filter((connection) => !connection.closedByClient);
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
