// main.ts imports this first: tracing patches http, Nest, pg and kafkajs as they load.
import { startTracing } from '@petstore/platform/telemetry';
import { SERVICE } from './app/service';

startTracing(SERVICE);
