import { ConfigType } from '@nestjs/config';
import { DEFAULT_PHOTO_MAX_BYTES } from '@petstore/dto';
import Joi from 'joi';
import { configNamespace, variable } from './config-namespace';

/** The upload limit the gateway, pet-service and photo-service all enforce (413 beyond it). */
export const photoUploadConfig = configNamespace('photoUpload', {
  maxBytes: variable('PHOTO_MAX_BYTES', Joi.number().integer().min(1).default(DEFAULT_PHOTO_MAX_BYTES)),
});

export type PhotoUploadConfig = ConfigType<typeof photoUploadConfig>;
