import { ConfigType, registerAs } from '@nestjs/config';
import { DEFAULT_PHOTO_MAX_BYTES } from '@petstore/dto';
import Joi from 'joi';

export const photosEnvironment = {
  PHOTO_MAX_BYTES: Joi.number().integer().min(1).default(DEFAULT_PHOTO_MAX_BYTES),
};

export const photosConfig = registerAs('photos', () => ({
  maxBytes: Number(process.env['PHOTO_MAX_BYTES']),
}));

export type PhotosConfig = ConfigType<typeof photosConfig>;
