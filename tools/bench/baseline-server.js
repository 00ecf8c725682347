// The benchmark's baseline: the least a server can do to answer GET /pets/:id — node:http, a pg
// pool as large as pet-service's (libs/platform database.module.ts) and pet-service's own read
// query — so every read figure is also a ratio to what this machine can do.
// Run by bench.js as a child process: node baseline-server.js <port> <database url>; it tells its
// parent 'listening' once it is.
const http = require('node:http');
const { Pool } = require('pg');
const { petReadQuery } = require('./pet-read-query');

const POOL_SIZE = 20;
const [port, databaseUrl] = process.argv.slice(2);
// Prepared, as the services' client prepares every statement with parameters
// (libs/platform prepared-statements.ts): the baseline differs from the service in framework, not protocol.
const query = { name: 'pet-by-id', text: petReadQuery() };
const pool = new Pool({ connectionString: databaseUrl, max: POOL_SIZE });

function send(response, status, body) {
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}

const server = http.createServer(async (request, response) => {
  const match = /^\/pets\/(\d+)$/.exec(request.url ?? '');
  if (request.method !== 'GET' || !match) return send(response, 404, { message: 'not found' });
  try {
    const { rows } = await pool.query({ ...query, values: [match[1]] });
    if (rows.length === 0) return send(response, 404, { message: `pet ${match[1]} not found` });
    const row = rows[0];
    send(response, 200, {
      id: Number(row.id),
      name: row.name,
      category: row.category_id === null ? undefined : { id: Number(row.category_id), name: row.category_name },
      photoUrls: row.photo_urls,
      tags: row.tags,
      status: row.status,
    });
  } catch (error) {
    send(response, 500, { message: error.message });
  }
});

server.keepAliveTimeout = 65000;
// bench.js waits for this message: a server already on the port would otherwise answer in its place.
server.once('error', (error) => {
  process.stderr.write(`baseline server: ${error.message}\n`);
  process.exit(1);
});
server.listen(Number(port), '127.0.0.1', () => process.send?.('listening'));
// Gone with the benchmark that started it, however that ended.
process.once('disconnect', () => process.exit(0));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
