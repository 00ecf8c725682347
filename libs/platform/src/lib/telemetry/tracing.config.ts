import { ConfigType } from '@nestjs/config';
import Joi from 'joi';
import { configNamespace, variable } from '../config-namespace';

export const TRACING_CONFIG = 'tracing';

const endpoint = Joi.string().uri({ scheme: ['http', 'https'] });

/**
 * Where traces go: a Zipkin server's span endpoint (`npm run zipkin:start` prints it) or an
 * OpenTelemetry Collector's OTLP/HTTP traces endpoint. Neither set, tracing is off and costs nothing.
 */
export const tracingConfig = configNamespace(TRACING_CONFIG, {
  zipkinEndpoint: variable<string | undefined>('OTEL_EXPORTER_ZIPKIN_ENDPOINT', endpoint.optional()),
  otlpEndpoint: variable<string | undefined>('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', endpoint.optional()),
});

export type TracingConfig = ConfigType<typeof tracingConfig>;
