import './tracing';
import { createServiceApp, SERVICE_JWKS_PATH, startServiceApp } from '@petstore/platform';
import { AppModule } from './app/app.module';
import { API_PREFIX, SERVICE } from './app/service';
import { trustProxyConfig, TrustProxyConfig, trustProxySetting } from './app/trust-proxy';
import { setUpSwagger } from './swagger';

async function bootstrap() {
  const app = await createServiceApp(AppModule, SERVICE);
  app.set('trust proxy', trustProxySetting(app.get<TrustProxyConfig>(trustProxyConfig.KEY).trustProxy));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics', SERVICE_JWKS_PATH] });
  setUpSwagger(app);
  await startServiceApp(app);
}

void bootstrap();
