import '@petstore/platform/deferred-nest-timestamps';
import './tracing';
import { kafkaConsumerOptions } from '@petstore/messaging';
import { createServiceApp, startServiceApp } from '@petstore/platform';
import { AppModule } from './app/app.module';
import { SERVICE } from './app/service';

async function bootstrap() {
  const app = await createServiceApp(AppModule, SERVICE);
  app.connectMicroservice(kafkaConsumerOptions(app, SERVICE), { inheritAppConfig: true });
  await startServiceApp(app);
}

void bootstrap();
