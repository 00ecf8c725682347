// The heap budget every app runs with: in `npm start`, the tests and the benchmark (stack.js puts
// these flags first, so STACK_NODE_FLAGS can override them), and in the Docker image, whose
// NODE_OPTIONS app-node-flags.spec.js holds to the same flags. Why these sizes: docs/decisions.md,
// "Every app runs with a heap budget".
const APP_NODE_FLAGS = ['--max-old-space-size=96', '--max-semi-space-size=4'];

module.exports = { APP_NODE_FLAGS };
