import '@petstore/platform/deferred-nest-timestamps';
import './tracing';
import { createServiceApp, startServiceApp } from '@petstore/platform';
import { AppModule } from './app/app.module';
import { SERVICE } from './app/service';

async function bootstrap() {
  const app = await createServiceApp(AppModule, SERVICE);
  await startServiceApp(app);
}

void bootstrap();
