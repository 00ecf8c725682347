import { ConfigType, registerAs } from '@nestjs/config';
import { DEFAULT_PHOTO_MAX_BYTES } from '@petstore/dto';
import Joi from 'joi';

export const photosEnvironment = {
  PHOTO_MAX_BYTES: Joi.number().integer().min(1).default(DEFAULT_PHOTO_MAX_BYTES),
  /** Shorter than the gateway's own call timeout, so a hung photo-service is reported as such. */
  PHOTO_SERVICE_TIMEOUT_MS: Joi.number().integer().min(1).default(3000),
};

export const photosConfig = registerAs('photos', () => ({
  maxBytes: Number(process.env['PHOTO_MAX_BYTES']),
  callTimeoutMs: Number(process.env['PHOTO_SERVICE_TIMEOUT_MS']),
}));

export type PhotosConfig = ConfigType<typeof photosConfig>;
