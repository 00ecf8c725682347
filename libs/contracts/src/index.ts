export * from './lib/ids';
export * from './lib/topics';
export * from './lib/event-types';
export * from './lib/states';
export * from './lib/payloads';
export * from './lib/envelope';
export * from './lib/build-envelope';
