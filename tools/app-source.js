// An app's non-test TypeScript as one string, for the checks that compare what its code uses
// (variables, services, topics) with what configuration declares or grants.
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function appSourceOf(app) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) files.push(fs.readFileSync(file, 'utf8'));
    }
  };
  walk(path.join(ROOT, 'apps', app, 'src'));
  return files.join('\n');
}

module.exports = { appSourceOf };
