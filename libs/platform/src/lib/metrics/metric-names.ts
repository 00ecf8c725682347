/**
 * Every metric an app exposes on `GET /metrics`, named once: the code that records each one and
 * the end-to-end specs that read them use these names.
 */
export const MetricName = {
  httpRequestDuration: 'http_server_request_duration_seconds',
  httpConnectionsRefused: 'http_server_connections_refused_total',
  httpUnparsedRequests: 'http_server_unparsed_requests_total',
  consumerLag: 'kafka_consumer_lag_messages',
  outboxBacklog: 'outbox_backlog_messages',
  outboxOldestUnsentAge: 'outbox_oldest_unsent_age_seconds',
  inboxEvents: 'inbox_events_total',
  dbPoolInUse: 'db_pool_connections_in_use',
  dbPoolWaiting: 'db_pool_requests_waiting',
  readModelChecks: 'read_model_checks_total',
  readModelCorrections: 'read_model_corrections_total',
  // prom-client's default metrics, among others:
  residentMemory: 'process_resident_memory_bytes',
  eventLoopDelayP99: 'nodejs_eventloop_lag_p99_seconds',
} as const;

export type MetricName = (typeof MetricName)[keyof typeof MetricName];
