import '@petstore/platform/deferred-nest-timestamps';
import './tracing';
import { kafkaConsumerOptions } from '@petstore/messaging';
import { createServiceApp, startServiceApp } from '@petstore/platform';
import { AppModule } from './app/app.module';
import { SERVICE } from './app/service';

async function bootstrap() {
  const app = await createServiceApp(AppModule, SERVICE);
  // Dropping a deleted pet's photos is the only thing it consumes events for, and nothing waits on it.
  app.connectMicroservice(kafkaConsumerOptions(app, SERVICE, 'batched'), { inheritAppConfig: true });
  await startServiceApp(app);
}

void bootstrap();
