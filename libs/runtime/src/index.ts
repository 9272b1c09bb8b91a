export * from './env';
export * from './platform-config';
export * from './logger';
export * from './shutdown';
export * from './fault-points';
export * from './coalescer';
