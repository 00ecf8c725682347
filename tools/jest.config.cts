module.exports = {
  displayName: 'tools',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.spec.js'],
  testTimeout: 60000,
};
