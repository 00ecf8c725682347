// Whether the apps' ports are free before the stack starts them: an app whose port another
// process holds exits at once, its reason (EADDRINUSE) buried in its log.
const net = require('node:net');
const { envPrefix, portOf } = require('./instances');

/** Whether a process already listens on the port of 127.0.0.1, where the apps listen. */
function portInUse(port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) => (error.code === 'EADDRINUSE' ? resolve(true) : reject(error)));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/** Refuses to go on while another process holds an app's port, naming each such port and its app. */
async function assertAppPortsFree(instance, apps, env = process.env) {
  const taken = [];
  for (const app of apps) {
    const port = portOf(instance, app, env);
    if (!(await portInUse(port))) continue;
    const elsewhere = instance.portOffset === 0 ? `, or give ${app} another port with ${envPrefix(app)}_PORT` : '';
    taken.push(`port ${port} (${app}) is in use by another process: stop it (ss -ltnp 'sport = :${port}' names it)${elsewhere}`);
  }
  const managementPort = instance.portOffset === 0 && apps.includes('api-gateway') ? Number(env.MANAGEMENT_PORT) : 0;
  if (managementPort && (await portInUse(managementPort))) {
    taken.push(
      `port ${managementPort} (api-gateway's MANAGEMENT_PORT) is in use by another process: stop it (ss -ltnp 'sport = :${managementPort}' names it), or set another`,
    );
  }
  if (taken.length > 0) throw new Error(taken.join('\n'));
}

module.exports = { portInUse, assertAppPortsFree };
