export * from './service';
export * from './nest-service';
export { ReadinessModule, ReadinessService } from './health';
export * from './process';
export { CommandMetricsInterceptor } from './bus-metrics';
export { SshModule, PROVISIONER_IDENTITY } from './ssh.module';
