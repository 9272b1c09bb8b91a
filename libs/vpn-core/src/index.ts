export * from './server-record';
export * from './provisioner-identity';
