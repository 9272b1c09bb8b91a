// Types of service-choice.js, for its spec.
export interface TestServiceEnv { DATABASE_URL?: string; NATS_URL?: string }
export interface TestServiceProbes { postgresPort: boolean; natsPort: boolean; postgresBinary: boolean; natsBinary: boolean; docker: boolean }
export type ServiceSource = { via: 'env' | 'local'; url: string } | { via: 'binary' | 'container' };
export type TestServiceChoice = { postgres: ServiceSource; nats: ServiceSource } | { error: string };
export function chooseTestServices(env: TestServiceEnv, probes: TestServiceProbes): TestServiceChoice;
export function needsDocker(env: TestServiceEnv, probes: Omit<TestServiceProbes, 'docker'>): boolean;
export const LOCAL_POSTGRES_URL: string;
export const LOCAL_NATS_URL: string;
