// An entry point kept free of Nest's core, Fastify and pg: each app's tracing.ts imports it, and
// main.ts imports that before anything but @nestjs/common, so the instrumentations are in place
// when those modules load.
export { startTracing } from './lib/telemetry/tracing';
