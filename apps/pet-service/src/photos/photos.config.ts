import { ConfigType } from '@nestjs/config';
import { configNamespace, variable } from '@petstore/platform';
import Joi from 'joi';

export const photoServiceConfig = configNamespace('photoService', {
  /** Shorter than the gateway's own call timeout, so a hung photo-service is reported as such. */
  callTimeoutMs: variable('PHOTO_SERVICE_TIMEOUT_MS', Joi.number().integer().min(1).default(3000)),
});

export type PhotoServiceConfig = ConfigType<typeof photoServiceConfig>;
