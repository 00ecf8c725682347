// Makes a broker's ACLs exactly those of principals.js: adds the missing ones and removes any
// other, as the admin. kafka.sh runs it on every start; one kafkajs client does in a second what
// a kafka-acls.sh JVM per binding would take half a minute for.
//
//   node tools/kafka/acls.js <host:port>
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = require('kafkajs');
const { withAdmin } = require('./admin-client');
const { aclBindings } = require('./principals');

function keyOf({ principal, operation, resourceType, name, patternType }) {
  return [principal, operation, resourceType, name, patternType].join(' ');
}

/** The broker's ACLs, in principals.js's shape. */
async function currentBindings(admin) {
  const { resources } = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  const nameOf = (enumeration, value) => Object.keys(enumeration).find((key) => enumeration[key] === value);
  return resources.flatMap((resource) =>
    resource.acls.map((acl) => ({
      principal: acl.principal,
      operation: nameOf(AclOperationTypes, acl.operation),
      resourceType: nameOf(AclResourceTypes, resource.resourceType),
      name: resource.resourceName,
      patternType: nameOf(ResourcePatternTypes, resource.resourcePatternType),
      permissionType: nameOf(AclPermissionTypes, acl.permissionType),
      host: acl.host,
    })),
  );
}

function toKafkajs(binding, permissionType = 'ALLOW', host = '*') {
  return {
    principal: binding.principal,
    host,
    operation: AclOperationTypes[binding.operation],
    permissionType: AclPermissionTypes[permissionType],
    resourceType: AclResourceTypes[binding.resourceType],
    resourceName: binding.name,
    resourcePatternType: ResourcePatternTypes[binding.patternType],
  };
}

async function applyAcls(bootstrap) {
  return withAdmin(bootstrap, 'kafka-sh-acls', async (admin) => {
    const wanted = aclBindings();
    const wantedKeys = new Set(wanted.map(keyOf));
    const current = await currentBindings(admin);
    const allowedHere = (binding) => binding.permissionType === 'ALLOW' && binding.host === '*';
    const currentKeys = new Set(current.filter(allowedHere).map(keyOf));
    const missing = wanted.filter((binding) => !currentKeys.has(keyOf(binding)));
    const extra = current.filter((binding) => !allowedHere(binding) || !wantedKeys.has(keyOf(binding)));
    if (missing.length > 0) await admin.createAcls({ acl: missing.map((binding) => toKafkajs(binding)) });
    if (extra.length > 0) await admin.deleteAcls({ filters: extra.map((binding) => toKafkajs(binding, binding.permissionType, binding.host)) });
    return { total: wanted.length, added: missing.length, removed: extra.length };
  });
}

if (require.main === module) {
  const [bootstrap] = process.argv.slice(2);
  if (!bootstrap?.split(':')[1]) {
    process.stderr.write('usage: acls.js <host:port>\n');
    process.exit(2);
  }
  applyAcls(bootstrap).then(
    ({ total, added, removed }) => process.stderr.write(`[kafka] ACLs: ${total} bindings (${added} added, ${removed} removed)\n`),
    (error) => {
      process.stderr.write(`[kafka] setting the ACLs failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}

module.exports = { applyAcls };
