import { DataSource, type EntityManager, type MixedList, type EntitySchema } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { ALL_ENTITIES } from './entities';

export interface DbConfig {
  url: string;
  /** Connections in this process's pool. */
  poolSize?: number;
  applicationName?: string;
  /** ms before a statement is cancelled; keeps a stuck database from hanging a request. */
  statementTimeoutMs?: number;
  /** ms to wait for a pool connection / TCP connect. */
  connectTimeoutMs?: number;
}

type EntityList = MixedList<Function | string | EntitySchema>;

export function createDataSource(config: DbConfig, entities: EntityList = ALL_ENTITIES): DataSource {
  return new DataSource({
    type: 'postgres',
    url: config.url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: config.applicationName ?? 'vpn',
    extra: {
      max: config.poolSize ?? 10,
      connectionTimeoutMillis: config.connectTimeoutMs ?? 5_000,
      statement_timeout: config.statementTimeoutMs ?? 15_000,
      idleTimeoutMillis: 30_000,
    },
  });
}

const MIGRATION_LOCK = 727_001;

/**
 * Runs pending migrations under an advisory lock, so any number of processes may start at once
 * and exactly one migrates.
 */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    try {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    } finally {
      await runner.release();
    }
  }
}

/** Initializes the data source and migrates the schema. */
export async function openDatabase(config: DbConfig, entities?: EntityList): Promise<DataSource> {
  const ds = createDataSource(config, entities);
  await ds.initialize();
  await runMigrations(ds);
  return ds;
}

/** True when the database answers a trivial query within the timeout. */
export async function pingDatabase(ds: DataSource | EntityManager, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ping = ds.query('SELECT 1').then(() => true as const);
    return await Promise.race([ping, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
