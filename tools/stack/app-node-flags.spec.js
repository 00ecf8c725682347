const fs = require('node:fs');
const path = require('node:path');
const { APP_NODE_FLAGS } = require('./app-node-flags');

const DOCKERFILE = path.resolve(__dirname, '../../Dockerfile');

/** The NODE_OPTIONS the Dockerfile's runtime stage sets, as its flags. */
function dockerNodeOptions() {
  const runtime = fs.readFileSync(DOCKERFILE, 'utf8').split(/^FROM .* AS runtime$/m)[1] ?? '';
  const match = runtime.match(/NODE_OPTIONS="([^"]*)"/);
  return match ? match[1].split(/\s+/).filter(Boolean) : [];
}

describe('the apps’ heap budget', () => {
  it('is the same in the Docker image as in npm start, the tests and the benchmark', () => {
    expect(dockerNodeOptions()).toEqual(APP_NODE_FLAGS);
  });
});
