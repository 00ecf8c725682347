// Fails when a native module under node_modules was compiled on this machine (node-gyp's
// build/ output) rather than loaded from a prebuilt binary: a user without a compiler, or a slim
// Docker image, could not install it. Then proves the password hasher's binary loads and works.
const fs = require('node:fs');
const path = require('node:path');

const NODE_MODULES = path.resolve(__dirname, '../../node_modules');

function* nativeBinaries(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !entry.isSymbolicLink()) yield* nativeBinaries(full);
    else if (entry.name.endsWith('.node')) yield full;
  }
}

const compiledHere = [...nativeBinaries(NODE_MODULES)].filter((file) => file.split(path.sep).includes('build'));
if (compiledHere.length > 0) {
  console.error(
    `native modules compiled during install (no prebuilt binary for Node ${process.versions.node}, ${process.platform}-${process.arch}):`,
  );
  for (const file of compiledHere) console.error(`  ${path.relative(NODE_MODULES, file)}`);
  process.exit(1);
}

const argon2 = require('@node-rs/argon2');
argon2
  .hash('check')
  .then((hash) => argon2.verify(hash, 'check'))
  .then((verified) => {
    if (!verified) throw new Error('the argon2 binary hashed a password it then did not verify');
    console.log(`native modules: all prebuilt; @node-rs/argon2 loads on Node ${process.versions.node} (${process.platform}-${process.arch})`);
  })
  .catch((error) => {
    console.error(`@node-rs/argon2 does not work here: ${error.message}`);
    process.exit(1);
  });
