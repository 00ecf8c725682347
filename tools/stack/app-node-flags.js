// The node flags and environment every app runs with: in `npm start`, the tests and the benchmark
// (stack.js puts the flags first, so STACK_NODE_FLAGS can override them, and the environment under
// the caller's, which wins), and in the Docker image, whose ENV and CMD app-node-flags.spec.js holds
// to the same. Why: docs/decisions.md, "Every app runs with a heap budget", "WebAssembly stays on
// V8's baseline compiler", "Maglev stays off" and "glibc's malloc gives large blocks back at once".

/** The heap budget. NODE_OPTIONS accepts these, so the image sets them there. */
const APP_HEAP_FLAGS = ['--max-old-space-size=96', '--max-semi-space-size=4'];

/**
 * No optimising compile of WebAssembly: undici's HTTP parser (llhttp) would take about 30 MB of
 * memory, for a moment, to compile. NODE_OPTIONS refuses these, so the image passes them to node.
 */
const APP_WASM_FLAGS = ['--no-wasm-tier-up', '--no-wasm-dynamic-tiering'];

/**
 * No Maglev, V8's mid-tier optimising compiler, which Node 24 turns on (Node 20 and 22 leave it
 * off): on Node 24 it held pet-service and the gateway 8–22 MB higher under load, for no CPU per
 * request that TurboFan's code did not save as well. NODE_OPTIONS refuses this flag too.
 */
const APP_JIT_FLAGS = ['--no-maglev'];

/** The flags NODE_OPTIONS refuses: the image gives them to node on its command line. */
const APP_COMMAND_LINE_FLAGS = [...APP_WASM_FLAGS, ...APP_JIT_FLAGS];

const APP_NODE_FLAGS = [...APP_HEAP_FLAGS, ...APP_COMMAND_LINE_FLAGS];

/**
 * Blocks of 128 KB and more are mapped alone and unmapped when freed. By default glibc raises this
 * threshold each time such a block is freed (up to 32 MB), after which large blocks come from the
 * heap, where a freed one stays resident until the blocks above it are freed too.
 */
const APP_MALLOC_ENVIRONMENT = { MALLOC_MMAP_THRESHOLD_: '131072' };

module.exports = { APP_HEAP_FLAGS, APP_COMMAND_LINE_FLAGS, APP_NODE_FLAGS, APP_MALLOC_ENVIRONMENT };
