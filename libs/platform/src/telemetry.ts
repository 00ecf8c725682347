// A second entry point, kept free of Nest, Fastify and pg: each app's tracing.ts imports it
// before anything else, so the instrumentations are in place when those modules load.
export { startTracing } from './lib/telemetry/tracing';
