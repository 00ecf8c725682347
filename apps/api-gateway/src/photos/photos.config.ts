import { ConfigType, registerAs } from '@nestjs/config';
import { DEFAULT_PHOTO_MAX_BYTES } from '@petstore/dto';
import Joi from 'joi';

const schema = Joi.object({
  PHOTO_MAX_BYTES: Joi.number().integer().min(1).default(DEFAULT_PHOTO_MAX_BYTES),
});

/** The upload limit, validated when the photos module loads (a bad value stops the gateway, naming it). */
export const photosConfig = registerAs('photos', () => {
  const { value, error } = schema.validate({ PHOTO_MAX_BYTES: process.env['PHOTO_MAX_BYTES'] });
  if (error) throw new Error(`Config validation error: ${error.message}`);
  return { maxBytes: value.PHOTO_MAX_BYTES as number };
});

export type PhotosConfig = ConfigType<typeof photosConfig>;
