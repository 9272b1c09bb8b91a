export * from './ssh-error';
export * from './host-key';
export * from './ssh-pool';
export * from './provisioner-key';
export { generateSshKeyPair } from './key-pair';
