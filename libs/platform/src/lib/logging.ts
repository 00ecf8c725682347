import type { LoggerService } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import Joi from 'joi';
import { Logger, PinoLogger } from 'nestjs-pino';
import pino, { DestinationStream, LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';
import { currentCorrelationScope } from './correlation';
import { configNamespace, variable } from './config-namespace';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
const LOG_LEVELS: LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const LOGGING_CONFIG = 'logging';

/** JSON lines for log systems; readable lines when a person watches a terminal. */
export const loggingConfig = configNamespace(LOGGING_CONFIG, {
  level: variable(
    'LOG_LEVEL',
    Joi.string<LevelWithSilent>()
      .valid(...LOG_LEVELS)
      .default('info'),
  ),
  format: variable(
    'LOG_FORMAT',
    Joi.string<LogFormat>()
      .valid(...LOG_FORMATS)
      .default(process.stdout.isTTY ? 'pretty' : 'json'),
  ),
});

export type LoggingConfig = ConfigType<typeof loggingConfig>;

/**
 * Every app logs through pino: one JSON object per line with the service, the level's name, the
 * correlation id and the request being answered (from the correlation scope), Nest's context,
 * and errors with their stack.
 */
export function serviceLogger(service: string, config: LoggingConfig, destination?: DestinationStream): LoggerService {
  const logger = pino(
    {
      level: config.level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...currentCorrelationScope() }),
    },
    destination ?? (config.format === 'pretty' ? pretty({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }) : pino.destination(1)),
  );
  return new Logger(new PinoLogger({ pinoHttp: { logger } }), {});
}
