const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { ensureServer, stopEmbedded } = require('./postgres');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function query(url, sql) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the database server a stack uses', () => {
  let workDir;
  let nothingThere;

  beforeEach(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'petstore-pg-'));
    fs.chmodSync(workDir, 0o755);
    nothingThere = `postgres://postgres@127.0.0.1:${await freePort()}`;
  });

  afterEach(() => fs.rmSync(workDir, { recursive: true, force: true }));

  it('starts an embedded server when DATABASE_URL is unset and nothing answers on the default address', async () => {
    const embedded = { port: await freePort(), dataDir: path.join(workDir, 'data'), durable: false };
    const server = await ensureServer(embedded, {}, () => undefined, nothingThere);
    try {
      expect(server).toEqual({ url: `postgres://postgres@127.0.0.1:${embedded.port}`, embedded: true });
      expect(await query(`${server.url}/postgres`, 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await stopEmbedded(embedded);
    }
    expect(fs.existsSync(embedded.dataDir)).toBe(false);
    await expect(query(`${server.url}/postgres`, 'SELECT 1')).rejects.toThrow();
  });

  it("keeps a durable cluster's databases across a restart", async () => {
    const embedded = { port: await freePort(), dataDir: path.join(workDir, 'data'), durable: true };
    const first = await ensureServer(embedded, {}, () => undefined, nothingThere);
    await query(`${first.url}/postgres`, 'CREATE DATABASE kept_db');
    await stopEmbedded(embedded);
    const second = await ensureServer(embedded, {}, () => undefined, nothingThere);
    try {
      expect(await query(`${second.url}/postgres`, "SELECT datname FROM pg_database WHERE datname = 'kept_db'")).toEqual([{ datname: 'kept_db' }]);
    } finally {
      await stopEmbedded(embedded);
    }
  });

  it('uses the server DATABASE_URL names, and names it when nothing answers there', async () => {
    const embedded = { port: await freePort(), dataDir: path.join(workDir, 'data'), durable: false };
    await expect(ensureServer(embedded, { DATABASE_URL: nothingThere }, () => undefined, nothingThere)).rejects.toThrow(
      `no PostgreSQL server answers at DATABASE_URL=${nothingThere}`,
    );
    expect(fs.existsSync(embedded.dataDir)).toBe(false);
  });
});
