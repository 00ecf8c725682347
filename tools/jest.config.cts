module.exports = {
  displayName: 'tools',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/*.spec.js'],
  testTimeout: 60000,
  // jest.preset.js's reporters, without its transforms (these specs run as plain JavaScript): the
  // test command's closing count includes these specs.
  reporters: require('../jest.preset.js').reporters,
};
