export * from './errors';
export * from './views';
export * from './commands';
export * from './events';
export * from './ids';
export * from './paging';
