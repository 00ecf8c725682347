import { ConfigType, registerAs } from '@nestjs/config';
import { MAX_TOKEN_TTL_SECONDS, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '@petstore/dto';
import Joi from 'joi';

export const AUTH_CONFIG = 'auth';

/** Development defaults; every deployment sets its own store owner. */
export const DEFAULT_STORE_OWNER = { username: 'storeowner', password: 'storeowner-password' };

export const authEnvironment = {
  STORE_OWNER_USERNAME: Joi.string().pattern(USERNAME_PATTERN).default(DEFAULT_STORE_OWNER.username),
  STORE_OWNER_PASSWORD: Joi.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH).default(DEFAULT_STORE_OWNER.password),
  JWT_TTL_SECONDS: Joi.number().integer().min(1).max(MAX_TOKEN_TTL_SECONDS).default(MAX_TOKEN_TTL_SECONDS),
  JWT_PRIVATE_KEY: Joi.string().pattern(/-----BEGIN (RSA )?PRIVATE KEY-----/, 'a PEM private key'),
  LOGIN_MAX_ATTEMPTS: Joi.number().integer().min(1).default(5),
  LOGIN_MAX_ATTEMPTS_PER_USERNAME: Joi.number().integer().min(1).default(20),
  LOGIN_MAX_ATTEMPTS_PER_CLIENT: Joi.number().integer().min(1).default(100),
  LOGIN_WINDOW_SECONDS: Joi.number().integer().min(1).default(900),
  PASSWORD_HASH_CONCURRENCY: Joi.number().integer().min(1).default(2),
  PASSWORD_HASH_QUEUE_LIMIT: Joi.number().integer().min(0).default(32),
};

export const authConfig = registerAs(AUTH_CONFIG, () => ({
  storeOwner: {
    username: process.env['STORE_OWNER_USERNAME'] as string,
    password: process.env['STORE_OWNER_PASSWORD'] as string,
  },
  tokenTtlSeconds: Number(process.env['JWT_TTL_SECONDS']),
  privateKey: process.env['JWT_PRIVATE_KEY'] || undefined,
  loginMaxAttempts: Number(process.env['LOGIN_MAX_ATTEMPTS']),
  loginMaxAttemptsPerUsername: Number(process.env['LOGIN_MAX_ATTEMPTS_PER_USERNAME']),
  loginMaxAttemptsPerClient: Number(process.env['LOGIN_MAX_ATTEMPTS_PER_CLIENT']),
  loginWindowSeconds: Number(process.env['LOGIN_WINDOW_SECONDS']),
  passwordHashConcurrency: Number(process.env['PASSWORD_HASH_CONCURRENCY']),
  passwordHashQueueLimit: Number(process.env['PASSWORD_HASH_QUEUE_LIMIT']),
}));

export type AuthConfig = ConfigType<typeof authConfig>;
