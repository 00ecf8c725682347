import '@petstore/platform/deferred-nest-timestamps';
import './tracing';
import { Logger } from '@nestjs/common';
import {
  createServiceApp,
  httpConfig,
  MANAGEMENT_PATHS,
  managementPortConfig,
  photoUploadConfig,
  PhotoUploadConfig,
  serveManagementPathsApart,
  SERVICE_JWKS_PATH,
  startServiceApp,
} from '@petstore/platform';
import { AppModule } from './app/app.module';
import { connectionLimitConfig, limitConnectionsPerClient } from './app/connection-limit';
import { corsConfig, corsOptions } from './app/cors';
import { limitRequestsPerClient, requestLimitConfig } from './app/request-limit';
import { API_PREFIX, SERVICE } from './app/service';
import { trustProxyConfig, trustProxySetting, trustsProxyAt } from './app/trust-proxy';
import { acceptMultipartUploads } from './photos/multipart';
import { setUpSwagger } from './swagger';

async function bootstrap() {
  const trustProxy = trustProxySetting(trustProxyConfig.read().trustProxy);
  const app = await createServiceApp(AppModule, SERVICE, { trustProxy });
  limitConnectionsPerClient(app.getHttpServer(), connectionLimitConfig.read(), trustsProxyAt(trustProxy));
  const cors = corsOptions(corsConfig.read().origins);
  if (cors) app.enableCors(cors);
  limitRequestsPerClient(app, requestLimitConfig.read());
  const management = serveManagementPathsApart(app, managementPortConfig.read(), httpConfig(SERVICE).read().host);
  await acceptMultipartUploads(app, app.get<PhotoUploadConfig>(photoUploadConfig.KEY));
  app.setGlobalPrefix(API_PREFIX, { exclude: [...MANAGEMENT_PATHS, SERVICE_JWKS_PATH] });
  setUpSwagger(app);
  await startServiceApp(app);
  await management?.listen().catch((error: Error) => {
    Logger.error(error.message, 'Bootstrap');
    process.exit(1);
  });
}

void bootstrap();
