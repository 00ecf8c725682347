// The fault suite (`npm run test:faults`): the same stack as the end-to-end suite, with faults
// injected from outside (SIGKILL, SIGSTOP, a broker stop, a database taken away or locked).
const base = require('./jest-e2e.config.cts');

module.exports = {
  ...base,
  displayName: 'petstore-faults',
  testMatch: ['<rootDir>/src/faults/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: [],
};
