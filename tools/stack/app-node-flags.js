// The node flags every app runs with: in `npm start`, the tests and the benchmark (stack.js puts
// them first, so STACK_NODE_FLAGS can override them), and in the Docker image, whose NODE_OPTIONS
// and CMD app-node-flags.spec.js holds to the same flags. Why: docs/decisions.md, "Every app runs
// with a heap budget" and "WebAssembly stays on V8's baseline compiler".

/** The heap budget. NODE_OPTIONS accepts these, so the image sets them there. */
const APP_HEAP_FLAGS = ['--max-old-space-size=96', '--max-semi-space-size=4'];

/**
 * No optimising compile of WebAssembly: undici's HTTP parser (llhttp) would take about 30 MB of
 * memory, for a moment, to compile. NODE_OPTIONS refuses these, so the image passes them to node.
 */
const APP_WASM_FLAGS = ['--no-wasm-tier-up', '--no-wasm-dynamic-tiering'];

const APP_NODE_FLAGS = [...APP_HEAP_FLAGS, ...APP_WASM_FLAGS];

module.exports = { APP_HEAP_FLAGS, APP_WASM_FLAGS, APP_NODE_FLAGS };
