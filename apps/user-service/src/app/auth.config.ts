import { ConfigType } from '@nestjs/config';
import { MAX_TOKEN_TTL_SECONDS, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from '@petstore/dto';
import { configNamespace, variable } from '@petstore/platform';
import Joi from 'joi';

/** Development defaults; every deployment sets its own store owner. */
export const DEFAULT_STORE_OWNER = { username: 'storeowner', password: 'storeowner-password' };

export const authConfig = configNamespace('auth', {
  storeOwnerUsername: variable('STORE_OWNER_USERNAME', Joi.string().pattern(USERNAME_PATTERN).default(DEFAULT_STORE_OWNER.username)),
  storeOwnerPassword: variable(
    'STORE_OWNER_PASSWORD',
    Joi.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH).default(DEFAULT_STORE_OWNER.password),
  ),
  tokenTtlSeconds: variable('JWT_TTL_SECONDS', Joi.number().integer().min(1).max(MAX_TOKEN_TTL_SECONDS).default(MAX_TOKEN_TTL_SECONDS)),
  /** Absent: each instance generates its own key pair and rotates it (see SigningKeys). */
  privateKey: variable('JWT_PRIVATE_KEY', Joi.string().pattern(/-----BEGIN (RSA )?PRIVATE KEY-----/, 'a PEM private key')),
  keyRotationSeconds: variable('JWT_KEY_ROTATION_SECONDS', Joi.number().integer().min(60).default(86400)),
  loginMaxAttempts: variable('LOGIN_MAX_ATTEMPTS', Joi.number().integer().min(1).default(5)),
  loginMaxAttemptsPerUsername: variable('LOGIN_MAX_ATTEMPTS_PER_USERNAME', Joi.number().integer().min(1).default(20)),
  loginMaxAttemptsPerClient: variable('LOGIN_MAX_ATTEMPTS_PER_CLIENT', Joi.number().integer().min(1).default(100)),
  loginWindowSeconds: variable('LOGIN_WINDOW_SECONDS', Joi.number().integer().min(1).default(900)),
  /** How long a client address a user logged in from stays exempt from their username's limit over every address. */
  loginKnownClientDays: variable('LOGIN_KNOWN_CLIENT_DAYS', Joi.number().integer().min(0).default(30)),
  /** Sign-ups from one client address within the window; past it 429, so one address cannot open accounts without end. */
  signUpMaxPerClient: variable('SIGN_UP_MAX_PER_CLIENT', Joi.number().integer().min(1).default(20)),
  signUpWindowSeconds: variable('SIGN_UP_WINDOW_SECONDS', Joi.number().integer().min(1).default(3600)),
  passwordHashConcurrency: variable('PASSWORD_HASH_CONCURRENCY', Joi.number().integer().min(1).default(2)),
  passwordHashQueueLimit: variable('PASSWORD_HASH_QUEUE_LIMIT', Joi.number().integer().min(0).default(32)),
  /** Well under the gateway's wait for user-service (SERVICE_CALL_TIMEOUT_MS, 5 s), leaving the hash itself and the login's statements time. */
  passwordHashMaxWaitMs: variable('PASSWORD_HASH_MAX_WAIT_MS', Joi.number().integer().min(0).default(2000)),
});

export type AuthConfig = ConfigType<typeof authConfig>;
