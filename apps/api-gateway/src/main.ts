import '@petstore/platform/deferred-nest-timestamps';
import './tracing';
import { createServiceApp, photoUploadConfig, PhotoUploadConfig, SERVICE_JWKS_PATH, startServiceApp } from '@petstore/platform';
import { AppModule } from './app/app.module';
import { corsConfig, corsOptions } from './app/cors';
import { limitRequestsPerClient, requestLimitConfig } from './app/request-limit';
import { API_PREFIX, SERVICE } from './app/service';
import { trustProxyConfig, trustProxySetting } from './app/trust-proxy';
import { acceptMultipartUploads } from './photos/multipart';
import { setUpSwagger } from './swagger';

async function bootstrap() {
  const app = await createServiceApp(AppModule, SERVICE, { trustProxy: trustProxySetting(trustProxyConfig.read().trustProxy) });
  const cors = corsOptions(corsConfig.read().origins);
  if (cors) app.enableCors(cors);
  limitRequestsPerClient(app, requestLimitConfig.read());
  await acceptMultipartUploads(app, app.get<PhotoUploadConfig>(photoUploadConfig.KEY));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', 'metrics', SERVICE_JWKS_PATH] });
  setUpSwagger(app);
  await startServiceApp(app);
}

void bootstrap();
