// main.ts imports this second, after only the deferred Nest timestamps: tracing patches http, Nest, pg and kafkajs as they load.
import { startTracing } from '@petstore/platform/telemetry';
import { SERVICE } from './app/service';

startTracing(SERVICE);
