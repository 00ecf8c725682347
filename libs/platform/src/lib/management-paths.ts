/**
 * What probes and scrapers ask every app for, outside the API: polled by the stack tool, load
 * balancers and Prometheus, never a client's business (and never limited per client).
 */
export const MANAGEMENT_PATHS = ['/health', '/metrics'];
