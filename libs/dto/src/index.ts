export * from './lib/auth';
export * from './lib/tokens';
export * from './lib/users';
export * from './lib/orders';
export * from './lib/pets';
export * from './lib/photos';
export * from './lib/error-response';
export * from './lib/paging';
