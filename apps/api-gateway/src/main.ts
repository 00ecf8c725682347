import { createServiceApp, startServiceApp } from '@petstore/platform';
import { AppModule } from './app/app.module';
import { API_PREFIX, SERVICE } from './app/service';
import { setUpSwagger } from './swagger';

async function bootstrap() {
  const app = await createServiceApp(AppModule, SERVICE);
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health'] });
  setUpSwagger(app);
  await startServiceApp(app);
}

void bootstrap();
