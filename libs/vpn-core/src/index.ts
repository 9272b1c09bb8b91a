export * from './provisioner-identity';
