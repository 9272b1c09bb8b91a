export * from './service';
export * from './decorators';
export * from './nest-service';
export * from './health';
export * from './process';
export { observeCommandHandling } from './bus-metrics';
