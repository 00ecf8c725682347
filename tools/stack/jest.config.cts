module.exports = {
  displayName: 'stack-tools',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.spec.js'],
  testTimeout: 60000,
};
