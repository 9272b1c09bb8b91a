import { DataSource, EntityManager } from 'typeorm';

/** The part of a pg connection a repository's hot statements use. */
interface PgConnection {
  query<T>(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: T[] }>;
}

/**
 * Runs `work` on the transaction's connection (an EntityManager of `transaction()`) or on one pooled
 * connection for this call, both through TypeORM's public QueryRunner. A short statement then skips
 * TypeORM's per-query result shaping and may be a named (prepared) statement.
 */
async function onConnection<R>(m: DataSource | EntityManager, work: (c: PgConnection) => Promise<R>): Promise<R> {
  if (m instanceof EntityManager && m.queryRunner) return work((await m.queryRunner.connect()) as PgConnection);
  const runner = (m instanceof DataSource ? m : m.connection).createQueryRunner();
  try {
    return await work((await runner.connect()) as PgConnection);
  } finally {
    await runner.release();
  }
}

/**
 * A hot statement of a repository, prepared once per pooled connection (parsed and planned once,
 * not per call). Errors are pg's own, which isUniqueViolation & co. read alike.
 */
export class PreparedStatement<T> {
  constructor(readonly name: string, readonly text: string) {}

  rows(m: DataSource | EntityManager, params: unknown[]): Promise<T[]> {
    return onConnection(m, async (c) => (await c.query<T>({ name: this.name, text: this.text, values: params })).rows);
  }
}

/**
 * Rows of any statement (UPDATE/DELETE … RETURNING included).
 * @deprecated SQL belongs in a repository (QueryBuilder, or a PreparedStatement for a hot path);
 * kept until provisioning and sync have theirs.
 */
export function queryRows<T>(m: DataSource | EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return onConnection(m, async (c) => (await c.query<T>({ text: sql, values: params })).rows);
}
