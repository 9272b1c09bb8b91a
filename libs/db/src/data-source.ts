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

/** Postgres error code of a unique violation; used to turn races into clean domain errors. */
export const PG_UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; driverError?: { code?: string; constraint?: string }; constraint?: string };
  const code = err?.driverError?.code ?? err?.code;
  if (code !== PG_UNIQUE_VIOLATION) return false;
  if (!constraint) return true;
  return (err.driverError?.constraint ?? err.constraint) === constraint;
}

/**
 * Rows of any statement. TypeORM's postgres driver answers UPDATE/DELETE … RETURNING with
 * `[rows, affectedCount]` and SELECT/INSERT with `rows`; this gives rows either way.
 */
export async function queryRows<T>(m: DataSource | EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const pool = poolOf(m);
  // Outside a transaction, straight to the driver's pool: TypeORM's query runner per call costs
  // more than a short statement. Errors are pg's own, which isUniqueViolation & co. read alike.
  if (pool) return (await pool.query<T>(sql, params)).rows;
  const result: unknown = await m.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}

/** The part of a pg client (or pool) the hot paths use. */
export interface PgQueryable {
  query<T>(text: string | { name: string; text: string; values: unknown[] }, values?: unknown[]): Promise<{ rows: T[] }>;
}

interface PgPool extends PgQueryable {
  connect(): Promise<PgQueryable & { release(destroy?: boolean): void }>;
}

/** The pg pool behind a DataSource (not an EntityManager: its queries may belong to a transaction). */
function poolOf(m: DataSource | EntityManager): PgPool | null {
  if (!(m instanceof DataSource) || !m.isInitialized) return null;
  const master = (m.driver as unknown as { master?: PgPool }).master;
  return master && typeof master.query === 'function' ? master : null;
}

/**
 * One transaction on one pooled connection, straight on the pg driver: for a hot path that runs a
 * few prepared statements in a transaction (TypeORM's transaction costs more than they do).
 */
export async function rawTransaction<T>(ds: DataSource, work: (client: PgQueryable) => Promise<T>): Promise<T> {
  const pool = poolOf(ds);
  if (!pool) throw new Error('the data source is not initialized');
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {
      broken = true; // the connection is gone or unusable: do not hand it out again
    });
    throw e;
  } finally {
    client.release(broken);
  }
}

/**
 * A hot statement, prepared once per pooled connection (parsed and planned once, not per call).
 * Inside a transaction (an EntityManager) it runs as a plain statement.
 */
export class PreparedStatement<T> {
  constructor(readonly name: string, readonly text: string) {}

  async rows(m: DataSource | EntityManager, params: unknown[]): Promise<T[]> {
    const pool = poolOf(m);
    if (pool) return this.on(pool, params);
    return queryRows<T>(m, this.text, params);
  }

  /** On a client of rawTransaction (or a pool). */
  async on(client: PgQueryable, params: unknown[]): Promise<T[]> {
    return (await client.query<T>({ name: this.name, text: this.text, values: params })).rows;
  }
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);

/**
 * True when an error means "the database is not there right now" (down, restarting, refusing or
 * dropping connections, out of connection slots) rather than "this statement is wrong":
 * callers answer 503 and try again later instead of 500.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string; message?: string }; message?: string } | null;
  if (!err || typeof err !== 'object') return false;
  const code = err.driverError?.code ?? err.code;
  if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  const message = `${err.message ?? ''} ${err.driverError?.message ?? ''}`;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|terminating connection due to administrator command/i.test(message);
}
